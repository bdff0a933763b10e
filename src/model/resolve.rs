//! Names as users type them back: a container by name, full id or a unique prefix of its id (as
//! the docker CLI takes them); a volume by name, or an anonymous one by a unique prefix of its
//! name (which is an id). A prefix that fits several is refused, naming them.

use super::{is_anonymous_volume, ContainerFacts, VolumeFacts};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    Missing,
    /// The full names or ids that the prefix fits.
    Ambiguous(Vec<String>),
}

impl Unresolved {
    /// One line for the user: "no such volume: x" or "5218 fits 2 volumes: …".
    pub fn message(&self, kind: &str, given: &str) -> String {
        match self {
            Unresolved::Missing => format!("no such {kind}: {given}"),
            Unresolved::Ambiguous(candidates) => {
                format!("{given} fits {} {kind}s: {}", candidates.len(), candidates.join(", "))
            }
        }
    }
}

/// The one item `given` names: an exact match first, else the one a prefix fits.
fn one<T>(
    items: &[T],
    exact: impl Fn(&T) -> bool,
    prefix: impl Fn(&T) -> Option<&str>,
) -> Result<&T, Unresolved> {
    if let Some(found) = items.iter().find(|item| exact(item)) {
        return Ok(found);
    }
    let fits: Vec<(&T, &str)> = items.iter().filter_map(|item| Some((item, prefix(item)?))).collect();
    match fits.as_slice() {
        [] => Err(Unresolved::Missing),
        [(found, _)] => Ok(found),
        many => Err(Unresolved::Ambiguous(many.iter().map(|(_, id)| (*id).to_owned()).collect())),
    }
}

pub fn container<'a>(
    containers: &'a [ContainerFacts],
    given: &str,
) -> Result<&'a ContainerFacts, Unresolved> {
    let given = given.strip_prefix('/').unwrap_or(given);
    if given.is_empty() {
        return Err(Unresolved::Missing);
    }
    one(
        containers,
        |c| c.name == given || c.id == given,
        |c| c.id.starts_with(given).then_some(c.id.as_str()),
    )
}

pub fn volume<'a>(volumes: &'a [VolumeFacts], given: &str) -> Result<&'a VolumeFacts, Unresolved> {
    if given.is_empty() {
        return Err(Unresolved::Missing);
    }
    one(
        volumes,
        |v| v.name == given,
        |v| (is_anonymous_volume(&v.name, &v.labels) && v.name.starts_with(given)).then_some(v.name.as_str()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn volume_named(name: &str) -> VolumeFacts {
        VolumeFacts { name: name.into(), ..Default::default() }
    }

    fn container_with(id: &str, name: &str) -> ContainerFacts {
        ContainerFacts { id: id.into(), name: name.into(), ..Default::default() }
    }

    #[test]
    fn an_anonymous_volume_is_found_by_a_unique_prefix_and_a_named_one_only_by_its_name() {
        let anon = "52184f5b67bb".to_owned() + &"0".repeat(52);
        let other = "5218aa".to_owned() + &"1".repeat(58);
        let volumes = [volume_named(&anon), volume_named(&other), volume_named("pgdata")];
        assert_eq!(volume(&volumes, "52184f5b67bb").map(|v| v.name.as_str()), Ok(anon.as_str()));
        assert_eq!(volume(&volumes, "pgdata").map(|v| v.name.as_str()), Ok("pgdata"));
        assert_eq!(volume(&volumes, "pg"), Err(Unresolved::Missing), "named volumes need their name");
        let Err(Unresolved::Ambiguous(both)) = volume(&volumes, "5218") else { panic!("ambiguous") };
        assert_eq!(both, [anon.clone(), other]);
        assert!(Unresolved::Ambiguous(both)
            .message("volume", "5218")
            .starts_with("5218 fits 2 volumes: 52184f5b67bb"));
    }

    #[test]
    fn a_container_is_found_by_name_full_id_or_unique_id_prefix() {
        let containers = [container_with("abc123", "web"), container_with("abd456", "db")];
        assert_eq!(container(&containers, "/web").map(|c| c.name.as_str()), Ok("web"));
        assert_eq!(container(&containers, "abd456").map(|c| c.name.as_str()), Ok("db"));
        assert_eq!(container(&containers, "abc").map(|c| c.name.as_str()), Ok("web"));
        assert!(matches!(container(&containers, "ab"), Err(Unresolved::Ambiguous(ids)) if ids.len() == 2));
        assert_eq!(container(&containers, ""), Err(Unresolved::Missing));
    }
}
