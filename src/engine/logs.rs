//! A container's log, read through the engine as it is written (`GET /containers/{id}/logs` with
//! `follow=1`), so it works on every engine and every route (unix, TCP, TLS, ssh) without
//! touching the engine's files. Read through our own transport, as the event stream is: the
//! open call returns once the engine has answered, so a driver that keeps nothing is told apart
//! before any view opens, and an empty log that is being followed is not mistaken for one still
//! connecting.
//!
//! The body is the engine's frames (8-byte header: stream, 0, 0, 0, length) for a container
//! without a terminal, and raw bytes for one with a terminal; the inspect's `Config.Tty` says
//! which, as the engine itself decides. Each line carries the engine's timestamp
//! (`timestamps=1`), kept so that a log can pick up after a restart where it left off.

use std::collections::VecDeque;

use bytes::{Buf, BytesMut};
use serde::Deserialize;

use super::stream::BodyStream;
use super::{encode_path, Engine, EngineError, Problem};
use crate::model::logs::{LogLine, LogStream, LogsFrom, LogsUnreadable};

/// The longest line kept whole: a longer one is cut into lines this long, so what a container
/// writes without a newline never grows without bound here.
const LONGEST_LINE: usize = 64 * 1024;

#[derive(Deserialize, Default)]
struct Inspect {
    #[serde(rename = "Config", default)]
    config: Option<Config>,
    #[serde(rename = "HostConfig", default)]
    host_config: Option<HostConfig>,
}

#[derive(Deserialize, Default)]
struct Config {
    #[serde(rename = "Tty", default)]
    tty: bool,
}

#[derive(Deserialize, Default)]
struct HostConfig {
    #[serde(rename = "LogConfig", default)]
    log_config: Option<LogConfig>,
}

#[derive(Deserialize, Default)]
struct LogConfig {
    #[serde(rename = "Type", default)]
    kind: Option<String>,
}

impl Engine {
    /// Opens a container's log from `from`, then follows it. Returns once the engine has answered
    /// (within the timeout); the lines themselves are not bounded in time. The stream ends when
    /// the container stops.
    pub async fn follow_logs(&self, id: &str, from: &LogsFrom) -> Result<LogFollow, LogsUnreadable> {
        let action = "reading a container's log";
        let inspect: Inspect = self
            .get_json(action, &format!("/containers/{}/json", encode_path(id)), Some(self.timeout))
            .await
            .map_err(LogsUnreadable::Failed)?;
        let tty = inspect.config.is_some_and(|c| c.tty);
        let driver = inspect.host_config.and_then(|h| h.log_config).and_then(|l| l.kind);
        let mut path =
            format!("/containers/{}/logs?stdout=1&stderr=1&follow=1&timestamps=1", encode_path(id));
        match from {
            LogsFrom::After(timestamp) => match since_after(timestamp) {
                Some(since) => path.push_str(&format!("&since={since}")),
                None => path.push_str("&tail=0"),
            },
            LogsFrom::Tail(lines) => path.push_str(&format!("&tail={lines}")),
        }
        let body = self.open_stream(action, &path).await.map_err(|error| {
            if keeps_nothing(&error) {
                LogsUnreadable::NotKept { driver, detail: error.detail }
            } else {
                LogsUnreadable::Failed(error)
            }
        })?;
        Ok(LogFollow { body, decoder: Decoder::new(tty) })
    }
}

/// Docker answers 501 "configured logging driver does not support reading"; Podman names the
/// driver in its own words.
fn keeps_nothing(error: &EngineError) -> bool {
    error.problem == Problem::Api(501)
        || error.detail.contains("does not support reading")
        || error.detail.contains("cannot read logs")
}

/// An open log: its lines as they come.
pub struct LogFollow {
    body: BodyStream,
    decoder: Decoder,
}

impl LogFollow {
    /// The next line; `None` once the engine has ended the log (the container stopped), an
    /// error if the connection broke.
    pub async fn next(&mut self) -> Option<Result<LogLine, EngineError>> {
        loop {
            if let Some(line) = self.decoder.ready.pop_front() {
                return Some(Ok(line));
            }
            match self.body.next().await {
                Some(Ok(data)) => self.decoder.feed(&data),
                Some(Err(error)) => return Some(Err(error)),
                None => {
                    self.decoder.finish();
                    return self.decoder.ready.pop_front().map(Ok);
                }
            }
        }
    }
}

/// Bytes in, lines out: frames or a terminal's raw bytes, cut at newlines, each line's
/// timestamp taken off its front.
struct Decoder {
    tty: bool,
    pending: BytesMut,
    /// The unfinished line of stdout and of stderr (a terminal's uses stdout's).
    partial: [Vec<u8>; 2],
    ready: VecDeque<LogLine>,
}

impl Decoder {
    fn new(tty: bool) -> Self {
        Decoder { tty, pending: BytesMut::new(), partial: [Vec::new(), Vec::new()], ready: VecDeque::new() }
    }

    fn feed(&mut self, data: &[u8]) {
        self.pending.extend_from_slice(data);
        if self.tty {
            while let Some(end) = self.pending.iter().position(|&b| b == b'\n') {
                let line = self.pending.split_to(end + 1);
                let (timestamp, text) = split_timestamp(&line);
                self.emit(LogStream::Terminal, text, timestamp);
            }
            if self.pending.len() > LONGEST_LINE {
                let line = self.pending.split();
                let (timestamp, text) = split_timestamp(&line);
                self.emit(LogStream::Terminal, text, timestamp);
            }
            return;
        }
        while self.pending.len() >= 8 {
            let header = &self.pending[..8];
            let length = u32::from_be_bytes([header[4], header[5], header[6], header[7]]) as usize;
            if self.pending.len() < 8 + length {
                break;
            }
            let stream = if header[0] == 2 { LogStream::Stderr } else { LogStream::Stdout };
            self.pending.advance(8);
            let payload = self.pending.split_to(length);
            self.frame(stream, &payload);
        }
    }

    /// One log entry. A line longer than the driver's buffer comes as several entries, each
    /// with its own timestamp; only the last ends with a newline.
    fn frame(&mut self, stream: LogStream, payload: &[u8]) {
        let (timestamp, mut text) = split_timestamp(payload);
        let slot = usize::from(stream == LogStream::Stderr);
        while let Some(end) = text.iter().position(|&b| b == b'\n') {
            let mut line = std::mem::take(&mut self.partial[slot]);
            line.extend_from_slice(&text[..end]);
            self.emit(stream, &line, timestamp.clone());
            text = &text[end + 1..];
        }
        self.partial[slot].extend_from_slice(text);
        if self.partial[slot].len() > LONGEST_LINE {
            let line = std::mem::take(&mut self.partial[slot]);
            self.emit(stream, &line, timestamp);
        }
    }

    /// The log ended: what is left is a last line without its newline.
    fn finish(&mut self) {
        if !self.pending.is_empty() && self.tty {
            let line = self.pending.split();
            let (timestamp, text) = split_timestamp(&line);
            self.emit(LogStream::Terminal, text, timestamp);
        }
        self.pending.clear();
        for (slot, stream) in [LogStream::Stdout, LogStream::Stderr].into_iter().enumerate() {
            if !self.partial[slot].is_empty() {
                let line = std::mem::take(&mut self.partial[slot]);
                self.emit(stream, &line, None);
            }
        }
    }

    fn emit(&mut self, stream: LogStream, bytes: &[u8], timestamp: Option<String>) {
        let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        // A terminal ends its lines with \r\n.
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let text = String::from_utf8_lossy(bytes).into_owned();
        self.ready.push_back(LogLine { stream, text, timestamp });
    }
}

/// `2026-12-05T00:40:49.882124574Z text` → the timestamp and the text. A line without one (an
/// engine that ignored `timestamps=1`) is all text.
fn split_timestamp(line: &[u8]) -> (Option<String>, &[u8]) {
    let looks_like_one = line.len() > 20 && line[4] == b'-' && line[7] == b'-' && line[10] == b'T';
    let space = line.iter().take(40).position(|&b| b == b' ');
    match (looks_like_one, space) {
        (true, Some(space)) => {
            (Some(String::from_utf8_lossy(&line[..space]).into_owned()), &line[space + 1..])
        }
        _ => (None, line),
    }
}

/// The engine's `since` (`seconds.nanoseconds`, inclusive) for the first instant after an RFC 3339
/// timestamp, so the line it stamps is not read twice.
fn since_after(timestamp: &str) -> Option<String> {
    let (seconds, nanos) = unix_time(timestamp)?;
    let (seconds, nanos) = if nanos == 999_999_999 { (seconds + 1, 0) } else { (seconds, nanos + 1) };
    Some(format!("{seconds}.{nanos:09}"))
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` → seconds and nanoseconds since the epoch.
fn unix_time(timestamp: &str) -> Option<(i64, u32)> {
    let number = |text: &str| text.parse::<i64>().ok();
    let (date, rest) = timestamp.split_once('T')?;
    let mut parts = date.splitn(3, '-');
    let (year, month, day) = (number(parts.next()?)?, number(parts.next()?)?, number(parts.next()?)?);
    let zone_at = rest.find(['Z', 'z', '+', '-'])?;
    let (time, zone) = rest.split_at(zone_at);
    let (clock, fraction) = time.split_once('.').unwrap_or((time, ""));
    let mut parts = clock.splitn(3, ':');
    let (hour, minute, second) = (number(parts.next()?)?, number(parts.next()?)?, number(parts.next()?)?);
    let nanos = if fraction.is_empty() {
        0
    } else {
        let digits: String = fraction.chars().chain(std::iter::repeat('0')).take(9).collect();
        digits.parse::<u32>().ok()?
    };
    let offset = match zone.as_bytes().first()? {
        b'Z' | b'z' => 0,
        sign => {
            let (hours, minutes) = zone[1..].split_once(':')?;
            let offset = number(hours)? * 3600 + number(minutes)? * 60;
            if *sign == b'-' {
                -offset
            } else {
                offset
            }
        }
    };
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    Some((seconds, nanos))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(stream: u8, payload: &str) -> Vec<u8> {
        let mut bytes = vec![stream, 0, 0, 0];
        bytes.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        bytes.extend_from_slice(payload.as_bytes());
        bytes
    }

    fn lines(decoder: &mut Decoder) -> Vec<(LogStream, String)> {
        decoder.ready.drain(..).map(|l| (l.stream, l.text)).collect()
    }

    #[test]
    fn frames_split_anywhere_become_lines_of_their_stream_without_timestamps() {
        let mut bytes = frame(1, "2026-12-05T00:40:50.265390115Z out\n");
        bytes.extend(frame(2, "2026-12-05T00:40:50.264848240Z err\n"));
        let mut decoder = Decoder::new(false);
        for piece in bytes.chunks(5) {
            decoder.feed(piece);
        }
        assert_eq!(decoder.ready[0].timestamp.as_deref(), Some("2026-12-05T00:40:50.265390115Z"));
        assert_eq!(
            lines(&mut decoder),
            [(LogStream::Stdout, "out".to_owned()), (LogStream::Stderr, "err".to_owned())]
        );
    }

    #[test]
    fn a_long_line_in_several_entries_is_one_line_and_a_last_line_without_newline_is_kept() {
        let mut decoder = Decoder::new(false);
        decoder.feed(&frame(1, "2026-12-05T00:00:00.1Z first half, "));
        assert!(decoder.ready.is_empty(), "not finished yet");
        decoder.feed(&frame(1, "2026-12-05T00:00:00.2Z second half\n"));
        decoder.feed(&frame(1, "2026-12-05T00:00:00.3Z no newline"));
        assert_eq!(lines(&mut decoder), [(LogStream::Stdout, "first half, second half".to_owned())]);
        decoder.finish();
        assert_eq!(lines(&mut decoder), [(LogStream::Stdout, "no newline".to_owned())]);
    }

    #[test]
    fn a_terminal_log_is_raw_bytes_with_crlf() {
        let mut decoder = Decoder::new(true);
        decoder.feed(b"2026-12-05T00:40:49.882124574Z out\r\n2026-12-05T00:40:49.8830");
        decoder.feed(b"32743Z \x01err\ttab\r\n");
        assert_eq!(
            lines(&mut decoder),
            [(LogStream::Terminal, "out".to_owned()), (LogStream::Terminal, "\x01err\ttab".to_owned())],
            "a line that starts with a byte below 3 is text, not a frame"
        );
    }

    #[test]
    fn what_is_written_without_newlines_is_cut_at_the_longest_line() {
        let mut decoder = Decoder::new(false);
        let long = "x".repeat(LONGEST_LINE + 10);
        decoder.feed(&frame(1, &long));
        assert_eq!(decoder.ready.len(), 1);
        assert!(decoder.partial[0].is_empty());
    }

    #[test]
    fn since_is_the_next_nanosecond_after_the_last_line() {
        assert_eq!(since_after("1970-01-01T00:00:00Z").as_deref(), Some("0.000000001"));
        assert_eq!(since_after("2026-12-05T00:40:49.882124574Z").as_deref(), Some("1796431249.882124575"));
        assert_eq!(since_after("2026-12-05T01:40:49.5+01:00").as_deref(), Some("1796431249.500000001"));
        assert_eq!(since_after("2000-02-29T23:59:59.999999999Z").as_deref(), Some("951868800.000000000"));
        assert_eq!(since_after("yesterday"), None);
    }
}
