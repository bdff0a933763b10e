//! The search line at the foot of a view that scrolls text (inspect, the log).

use ratatui::text::{Line, Span};

use super::theme;
use super::untrusted::shown;
use crate::app::search::Search;

/// `/query▏  3/12` while typed or kept (the cursor where it is), else `hint`.
pub fn line(search: &Search, matches: usize, current: Option<usize>, hint: &'static str) -> Line<'static> {
    if !search.typing() && search.query().is_empty() {
        return Line::styled(hint, theme::dim());
    }
    let count = match current {
        Some(i) => format!("  {}/{matches}", i + 1),
        None => format!("  {matches} match{}", if matches == 1 { "" } else { "es" }),
    };
    let query = if search.typing() {
        let (before, after) = search.split();
        format!("/{}▏{}", shown(before), shown(after))
    } else {
        format!("/{}", shown(search.query()))
    };
    Line::from(vec![Span::styled(query, theme::warning()), Span::styled(count, theme::dim())])
}
