//! How numbers read on screen and in the report.

use humansize::{format_size, BINARY};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `1.5 KiB`, `2 MiB`; `—` when unknown.
pub fn size(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "—".to_owned(), |b| format_size(b, BINARY.decimal_places(1)))
}

/// Tenths of a percent as a person reads them: 441 → `44.1%`.
pub fn permille(tenths: u64) -> String {
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// The first 12 characters of an id, as Docker shows them.
pub fn short_id(id: &str) -> &str {
    id.char_indices().nth(12).map_or(id, |(end, _)| &id[..end])
}

/// An image id (`sha256:…`) as Docker shows it: 12 hex digits.
pub fn image_short_id(id: &str) -> &str {
    short_id(id.strip_prefix("sha256:").unwrap_or(id))
}

/// A container's image as the engine names it: a reference, or, once its tag has gone to
/// another image or been removed, the image id, shown short as Docker does.
pub fn image_name(image: &str) -> String {
    if image.starts_with("sha256:") {
        image_short_id(image).to_owned()
    } else {
        image.to_owned()
    }
}

/// `n` and the noun, plural unless `n` is 1: "1 file", "3 files".
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Anonymous volumes have 64-hex names: the first 12 tell them apart, as Docker's own ids do.
pub fn volume_name(name: &str, anonymous: bool) -> String {
    let short = short_id(name);
    if anonymous && short.len() < name.len() {
        format!("{short}…")
    } else {
        name.to_owned()
    }
}

/// How many terminal columns `text` takes (CJK takes two a character).
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` cut to at most `max` columns, ending in `…` when something was cut.
pub fn fit(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if width(text) <= max {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    if max > 0 {
        out.push('…');
    }
    std::borrow::Cow::Owned(out)
}

/// `text` cut to at most `max` columns in its middle, keeping its start and its end: names that
/// share a long prefix (`shop-web-1`, `shop-web-2`) stay apart. Narrow cells cut at the end.
pub fn fit_middle(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    const NARROWEST: usize = 8;
    if width(text) <= max || max < NARROWEST {
        return fit(text, max);
    }
    let head_room = (max - 1) * 2 / 3;
    let tail_room = max - 1 - head_room;
    let take = |chars: &mut dyn Iterator<Item = char>, room: usize| {
        let mut used = 0;
        let mut kept = Vec::new();
        for c in chars {
            let w = c.width().unwrap_or(0);
            if used + w > room {
                break;
            }
            used += w;
            kept.push(c);
        }
        kept
    };
    let head = take(&mut text.chars(), head_room);
    let mut tail = take(&mut text.chars().rev(), tail_room);
    tail.reverse();
    std::borrow::Cow::Owned(head.into_iter().chain(['…']).chain(tail).collect())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// `text` fitted to `columns` and padded to exactly that many, by display width.
pub fn pad(text: &str, columns: usize, align: Align) -> String {
    let text = fit(text, columns);
    let fill = " ".repeat(columns.saturating_sub(width(&text)));
    match align {
        Align::Left => format!("{text}{fill}"),
        Align::Right => format!("{fill}{text}"),
    }
}

/// The time of day of `at`, in UTC: `09:41:05 UTC`.
pub fn clock(at: std::time::SystemTime) -> String {
    let seconds = at.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()) % 86_400;
    format!("{:02}:{:02}:{:02} UTC", seconds / 3600, seconds / 60 % 60, seconds % 60)
}

/// A Unix time as the engine writes times, in UTC: `2026-11-27T05:24:10Z`.
pub fn utc_timestamp(seconds: i64) -> String {
    let (days, second) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil, for the proleptic Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    let (h, m, s) = (second / 3600, second / 60 % 60, second % 60);
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z")
}

/// `text` in lines of at most `max` columns, broken between words where it can be and inside a
/// word longer than a line. Always at least one line.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let gap = usize::from(!line.is_empty());
        if !line.is_empty() && width(&line) + gap + width(word) > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        for c in word.chars() {
            if width(&line) + c.width().unwrap_or(0) > max {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    lines.push(line);
    lines
}

pub fn mode(rw: bool) -> &'static str {
    if rw {
        "rw"
    } else {
        "ro"
    }
}

/// The marker of a bind that hands the host to a container: doubled when it is writable.
pub fn danger_marker(writable: bool) -> &'static str {
    if writable {
        "!!"
    } else {
        "!"
    }
}

/// A duration as `docker ps` words it (go-units' `HumanDuration`): `Less than a second`,
/// `14 seconds`, `About a minute`, `10 minutes`, `About an hour`, `3 hours`, `2 days`, `3 weeks`,
/// `4 months`, `2 years`.
pub fn human_duration(elapsed: std::time::Duration) -> String {
    let seconds = elapsed.as_secs();
    let minutes = seconds / 60;
    let hours = (elapsed.as_secs_f64() / 3600.0 + 0.5) as u64;
    match () {
        _ if seconds < 1 => "Less than a second".to_owned(),
        _ if seconds == 1 => "1 second".to_owned(),
        _ if seconds < 60 => format!("{seconds} seconds"),
        _ if minutes == 1 => "About a minute".to_owned(),
        _ if minutes < 60 => format!("{minutes} minutes"),
        _ if hours == 1 => "About an hour".to_owned(),
        _ if hours < 48 => format!("{hours} hours"),
        _ if hours < 24 * 7 * 2 => format!("{} days", hours / 24),
        _ if hours < 24 * 30 * 2 => format!("{} weeks", hours / 24 / 7),
        _ if hours < 24 * 365 * 2 => format!("{} months", hours / 24 / 30),
        _ => format!("{} years", elapsed.as_secs() / 3600 / 24 / 365),
    }
}

/// How long ago, shortly: `just now`, `45 s ago`, `2 min ago`, `3 h ago`, `2 days ago`.
pub fn ago(elapsed: std::time::Duration) -> String {
    match elapsed.as_secs() {
        0..=4 => "just now".to_owned(),
        s @ 5..=59 => format!("{s} s ago"),
        s @ 60..=3599 => format!("{} min ago", s / 60),
        s @ 3600..=172_799 => format!("{} h ago", s / 3600),
        s => format!("{} days ago", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_cut_in_the_middle_keeps_the_end_that_tells_it_apart() {
        assert_eq!(fit_middle("dockdu-test-7704-1-610435274-a", 22), "dockdu-test-77…35274-a");
        assert_eq!(width(&fit_middle("dockdu-test-7704-1-610435274-a", 22)), 22);
        assert_eq!(fit_middle("short", 22), "short");
        assert_eq!(fit_middle("数据库-生产-主节点-副本-1", 12), "数据库-…本-1");
        assert_eq!(fit_middle("a-long-name", 5), "a-lo…");
    }

    #[test]
    fn sizes_read_in_binary_units() {
        assert_eq!(size(Some(0)), "0 B");
        assert_eq!(size(Some(2 << 20)), "2 MiB");
        assert_eq!(size(Some(1536)), "1.5 KiB");
        assert_eq!(size(None), "—");
    }

    #[test]
    fn counts_say_one_file_and_many_files() {
        assert_eq!(count(1u32, "file"), "1 file");
        assert_eq!(count(0u32, "file"), "0 files");
        assert_eq!(count(124u32, "file"), "124 files");
    }

    #[test]
    fn short_ids_and_names_cut_on_characters_never_inside_one() {
        assert_eq!(short_id("0123456789abcdef"), "0123456789ab");
        assert_eq!(short_id("データベースのボリューム名です"), "データベースのボリューム");
        assert_eq!(short_id("abc"), "abc");
        assert_eq!(volume_name("ééééééééééééé", true), "éééééééééééé…");
    }

    #[test]
    fn fitting_and_padding_count_display_columns() {
        assert_eq!(width("データ"), 6);
        assert_eq!(fit("データベース", 7), "データ…");
        assert_eq!(fit("short", 10), "short");
        assert_eq!(pad("データ", 8, Align::Left), "データ  ");
        assert_eq!(pad("1 KiB", 8, Align::Right), "   1 KiB");
        assert_eq!(width(&pad("a-very-long-container-name", 10, Align::Left)), 10);
    }

    #[test]
    fn unix_times_read_as_the_engines_utc_timestamps() {
        assert_eq!(utc_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_timestamp(1_795_757_050), "2026-11-27T05:24:10Z");
    }

    #[test]
    fn clock_times_are_utc_time_of_day() {
        let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(86_400 * 3 + 9 * 3600 + 41 * 60 + 5);
        assert_eq!(clock(at), "09:41:05 UTC");
    }

    #[test]
    fn wrapping_breaks_between_words_by_display_width_and_inside_long_ones() {
        assert_eq!(
            wrap("starting container process caused: exec: /nope", 20),
            ["starting container", "process caused:", "exec: /nope"]
        );
        assert_eq!(wrap("データベース ok", 8), ["データベ", "ース ok"]);
        assert_eq!(wrap("0123456789abcdef", 6), ["012345", "6789ab", "cdef"]);
        assert_eq!(wrap("", 10), [""]);
        assert!(wrap(&"word ".repeat(50), 17).iter().all(|l| width(l) <= 17));
    }

    #[test]
    fn anonymous_names_shorten_named_do_not() {
        assert_eq!(volume_name(&"ab".repeat(32), true), "abababababab…");
        assert_eq!(volume_name("a-long-named-volume-name", false), "a-long-named-volume-name");
    }
}
