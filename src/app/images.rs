//! The images' part of loading. The list comes with every refresh (it is fast) and fills the
//! Images panel and the create form's choice alike; shared sizes and the build cache come from
//! `/system/df`, which takes minutes on a big API < 1.42 engine: asked only once the volumes'
//! sizes are in (never delaying them), again only for images it has not measured or on `r`.

use super::form::{FormKind, ImageList};
use super::{App, Effect, Overlay};
use crate::model::{DiskUsage, EngineError, ImageFacts};

/// Where the images' `/system/df` stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageSizing {
    /// One is under way.
    pub measuring: bool,
    /// The last one failed: not asked again until `r` or a new image.
    pub failed: Option<EngineError>,
    /// `r` asked for everything again.
    refresh: bool,
}

impl App {
    /// The list, into the one place both the Images panel and the create form read it.
    pub(super) fn on_images(
        &mut self,
        seq: u64,
        result: Result<Vec<ImageFacts>, EngineError>,
    ) -> Vec<Effect> {
        if !self.loading.accept_images(seq) {
            return vec![];
        }
        let attach_form = match &mut self.overlay {
            Some(Overlay::Form(form)) if matches!(form.kind, FormKind::Attach { .. }) => Some(form),
            _ => None,
        };
        match result {
            Ok(images) => {
                if let Some(form) = attach_form {
                    form.set_images(images.iter().map(ImageFacts::reference).collect());
                }
                // A new image is worth another try after a failed measurement.
                let known: std::collections::HashSet<&str> =
                    self.sources.images.iter().map(|i| i.id.as_str()).collect();
                if images.iter().any(|i| !known.contains(i.id.as_str())) {
                    self.loading.images.failed = None;
                }
                // One gone (removed here or elsewhere): the layers' total and what others
                // shared with it have changed.
                let listed: std::collections::HashSet<&str> = images.iter().map(|i| i.id.as_str()).collect();
                if known.iter().any(|id| !listed.contains(id)) {
                    self.loading.images.refresh = true;
                }
                self.sources.images = images;
                self.loading.image_list = ImageList::Loaded;
                self.rebuild();
            }
            Err(error) => {
                if let Some(form) = attach_form {
                    form.images_failed(&error);
                }
                self.loading.image_list = ImageList::Failed;
            }
        }
        self.size_images_if_due()
    }

    pub(super) fn on_images_sized(&mut self, result: Result<Box<DiskUsage>, EngineError>) -> Vec<Effect> {
        self.loading.images.measuring = false;
        match result {
            Ok(usage) => {
                self.images_measured_by(&usage);
                self.rebuild();
            }
            Err(error) => self.loading.images.failed = Some(error),
        }
        self.size_images_if_due()
    }

    /// Takes a `/system/df` answer's images and build cache; one that measured both is the
    /// fresh measurement a refresh asked for (an old engine's volumes' answer is one).
    pub(super) fn images_measured_by(&mut self, usage: &DiskUsage) {
        self.sources.disk_usage_images(usage);
        if usage.images.is_some() && usage.build_cache.is_some() {
            self.loading.images.refresh = false;
        }
    }

    /// `r`: shared sizes and the build cache are measured again too.
    pub(super) fn refresh_image_sizes(&mut self) {
        self.loading.images.refresh = true;
        self.loading.images.failed = None;
    }

    /// A `/system/df` for the images, when something is unmeasured, none is running, the last
    /// did not fail, and the containers' and volumes' sizes (which may need `/system/df` too)
    /// are all in: on an old engine theirs measures the images too.
    pub(super) fn size_images_if_due(&mut self) -> Vec<Effect> {
        let sizing = &self.loading.images;
        let listed = self.loading.image_list == ImageList::Loaded;
        // Until the lists are in, their sizing (maybe a `/system/df` itself) is not planned yet;
        // once planned, a container or volume still waiting may be waiting for a `/system/df`,
        // and the engine runs one at a time: the images' must not go first.
        let others_settled = self.loading.lists_shown() && !self.loading.sizing();
        if !listed || sizing.measuring || sizing.failed.is_some() || !others_settled {
            return vec![];
        }
        let measured = self.sources.image_usage.as_ref();
        let unmeasured = self.sources.build_cache.is_none()
            || self.sources.images.iter().any(|i| measured.is_none_or(|m| !m.images.contains_key(&i.id)));
        if !unmeasured && !sizing.refresh {
            return vec![];
        }
        self.loading.images = ImageSizing { measuring: true, ..ImageSizing::default() };
        vec![Effect::SizeImages]
    }
}
