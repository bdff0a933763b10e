//! How numbers read on screen and in the report.

use humansize::{format_size, BINARY};

/// `1.5 KiB`, `2 MiB`; `—` when unknown.
pub fn size(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "—".to_owned(), |b| format_size(b, BINARY.decimal_places(1)))
}

/// The first 12 characters of an id, as Docker shows them.
pub fn short_id(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// Anonymous volumes have 64-hex names: the first 12 tell them apart, as Docker's own ids do.
pub fn volume_name(name: &str, anonymous: bool) -> String {
    if anonymous && name.len() > 12 {
        format!("{}…", &name[..12])
    } else {
        name.to_owned()
    }
}

pub fn mode(rw: bool) -> &'static str {
    if rw {
        "rw"
    } else {
        "ro"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_binary_units() {
        assert_eq!(size(Some(0)), "0 B");
        assert_eq!(size(Some(2 << 20)), "2 MiB");
        assert_eq!(size(Some(1536)), "1.5 KiB");
        assert_eq!(size(None), "—");
    }

    #[test]
    fn anonymous_names_shorten_named_do_not() {
        assert_eq!(volume_name(&"ab".repeat(32), true), "abababababab…");
        assert_eq!(volume_name("a-long-named-volume-name", false), "a-long-named-volume-name");
    }
}
