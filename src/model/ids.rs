//! Ids as types: a container's id, a volume's name and an image's id cannot be mixed up, and
//! rows, marks and links are keyed by them rather than by formatted strings. In JSON each is
//! the engine's plain string.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::Serialize;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                $name(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(id.to_owned())
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                $name(id.clone())
            }
        }

        /// Text from outside (a user's argument, an event's actor) against a known id.
        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }
    };
}

id_type!(
    /// A container's full id (64 hex digits on Docker and Podman).
    ContainerId
);
id_type!(
    /// A volume's name: its identity on the engine (an anonymous volume's is 64 hex digits).
    VolumeName
);
id_type!(
    /// An image's id, `sha256:…`.
    ImageId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialise_as_the_engines_plain_strings() {
        assert_eq!(serde_json::to_string(&ContainerId::new("abc")).unwrap(), "\"abc\"");
        let map: std::collections::HashMap<VolumeName, u8> = [(VolumeName::new("data"), 1)].into();
        assert_eq!(map.get("data"), Some(&1), "looked up by the engine's text");
    }
}
