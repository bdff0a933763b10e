//! An image's manifests, as the image list describes them on API ≥ 1.47 (`manifests=1`): one
//! per platform its index names, and the attestations (provenance, SBOM) attached to them. Only
//! what was pulled here holds bytes; the other platforms are named by the index and absent.

use serde::Serialize;

use super::ContainerId;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ManifestKind {
    /// A runnable image for one platform.
    Image,
    /// Build attestations (provenance, SBOM) of another manifest of the index.
    Attestation,
    /// Anything else, including kinds a newer engine adds.
    #[default]
    Unknown,
}

impl ManifestKind {
    pub fn from_engine(kind: &str) -> ManifestKind {
        match kind {
            "image" => ManifestKind::Image,
            "attestation" => ManifestKind::Attestation,
            _ => ManifestKind::Unknown,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImageManifest {
    /// The manifest's digest (`sha256:…`).
    pub digest: String,
    pub kind: ManifestKind,
    /// All its content (config, layers) is here; false for a platform the index names but that
    /// was never pulled.
    pub available: bool,
    /// `os/architecture[/variant]`, for a manifest that names its platform.
    pub platform: Option<String>,
    /// Its blobs in the content store (compressed layers, config), as far as present.
    pub content_size: Option<u64>,
    /// The content and the unpacked snapshots together.
    pub total_size: Option<u64>,
    /// Unpacked for containers to run, for an image manifest.
    pub unpacked_size: Option<u64>,
    /// The containers that run this platform's image.
    pub container_ids: Vec<ContainerId>,
    /// The digest of the manifest an attestation is for.
    pub attests: Option<String>,
}

impl ImageManifest {
    pub fn short_digest(&self) -> &str {
        crate::text::format::image_short_id(&self.digest)
    }
}

/// `linux/arm64/v8` from an OCI platform's parts; `None` without an OS or an architecture, and
/// for the `unknown/unknown` an index gives its attestations.
pub fn platform(os: &str, architecture: &str, variant: Option<&str>) -> Option<String> {
    if os.is_empty() || architecture.is_empty() || (os == "unknown" && architecture == "unknown") {
        return None;
    }
    Some(match variant.filter(|v| !v.is_empty()) {
        Some(variant) => format!("{os}/{architecture}/{variant}"),
        None => format!("{os}/{architecture}"),
    })
}

/// The platform of the manifest `digest` names among `manifests`: what an attestation is for,
/// in words.
pub fn platform_of<'a>(manifests: &'a [ImageManifest], digest: &str) -> Option<&'a str> {
    manifests.iter().find(|m| m.digest == digest).and_then(|m| m.platform.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_platform_reads_as_docker_writes_it_and_the_attestation_placeholder_is_none() {
        assert_eq!(platform("linux", "arm64", Some("v8")).as_deref(), Some("linux/arm64/v8"));
        assert_eq!(platform("linux", "amd64", Some("")).as_deref(), Some("linux/amd64"));
        assert_eq!(platform("unknown", "unknown", None), None);
        assert_eq!(platform("", "amd64", None), None);
    }

    #[test]
    fn an_unknown_kind_from_a_newer_engine_is_unknown() {
        assert_eq!(ManifestKind::from_engine("attestation"), ManifestKind::Attestation);
        assert_eq!(ManifestKind::from_engine("signature"), ManifestKind::Unknown);
    }

    #[test]
    fn an_attestation_finds_the_platform_it_is_for() {
        let amd64 = ImageManifest {
            digest: "sha256:aa".into(),
            kind: ManifestKind::Image,
            platform: Some("linux/amd64".into()),
            ..Default::default()
        };
        let manifests = [amd64];
        assert_eq!(platform_of(&manifests, "sha256:aa"), Some("linux/amd64"));
        assert_eq!(platform_of(&manifests, "sha256:bb"), None);
    }
}
