//! The one place that decides what is a secret and how it is hidden until revealed: environment
//! values, and labels or driver options whose key looks secret (a CIFS volume's `password=…`).

use std::collections::BTreeMap;

pub const MASK: &str = "••••••";

/// Words that make a key secret, matched case-insensitively anywhere in the key.
const SECRET_WORDS: [&str; 6] = ["password", "passwd", "secret", "token", "key", "credential"];

pub fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SECRET_WORDS.iter().any(|word| key.contains(word))
}

/// The value to show for `key`: itself, or the mask when the key looks secret and the user has
/// not asked to see secrets.
pub fn shown<'a>(key: &str, value: &'a str, reveal: bool) -> &'a str {
    if reveal || !is_secret_key(key) {
        value
    } else {
        MASK
    }
}

/// A copy of a label or option map with secret-looking values masked (unless revealed).
pub fn masked_map(map: &BTreeMap<String, String>, reveal: bool) -> BTreeMap<String, String> {
    map.iter().map(|(k, v)| (k.clone(), shown(k, v, reveal).to_owned())).collect()
}

/// `k=v,k2=v2`, secret-looking values masked unless revealed.
pub fn key_values(map: &BTreeMap<String, String>, reveal: bool) -> String {
    let pairs: Vec<String> = map.iter().map(|(k, v)| format!("{k}={}", shown(k, v, reveal))).collect();
    pairs.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_looking_keys_are_found_in_any_case() {
        for key in ["password", "PASSWORD", "db_password", "api-token", "Secret", "ssh.key", "credentials"] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in ["type", "device", "o", "com.docker.compose.project", "team"] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn maps_mask_only_secret_values_until_revealed() {
        let options = BTreeMap::from([
            ("type".to_owned(), "cifs".to_owned()),
            ("password".to_owned(), "hunter2".to_owned()),
        ]);
        let hidden = masked_map(&options, false);
        assert_eq!(hidden["type"], "cifs");
        assert_eq!(hidden["password"], MASK);
        assert_eq!(masked_map(&options, true), options);
    }

    #[test]
    fn secret_values_are_masked_in_key_values_until_revealed() {
        let map = BTreeMap::from([
            ("password".to_owned(), "hunter2".to_owned()),
            ("team".to_owned(), "a".to_owned()),
        ]);
        assert_eq!(key_values(&map, false), format!("password={MASK},team=a"));
        assert_eq!(key_values(&map, true), "password=hunter2,team=a");
    }
}
