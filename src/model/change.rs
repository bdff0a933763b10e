//! What the engine's event stream says changed, decoded by the engine module: the app decides
//! on these types, never on the engine's words.

/// Which kind of object changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Container,
    Volume,
    Image,
}

/// What happened to it. Actions the panels do not show (exec, attach, top, health checks…)
/// are `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeAction {
    Create,
    /// Docker's `destroy`, Podman's `remove`.
    Destroy,
    Start,
    Stop,
    Die,
    Kill,
    Pause,
    Unpause,
    Restart,
    Rename,
    Update,
    /// Files copied into a container (`docker cp`): its layer grew.
    ExtractToDir,
    Mount,
    Unmount,
    Import,
    Pull,
    Load,
    Tag,
    Untag,
    Delete,
    Prune,
    Other,
}

impl ChangeAction {
    /// The engine's word, without the details some actions carry (`exec_start: sh`).
    pub fn parse(word: &str) -> ChangeAction {
        match word.split(':').next().unwrap_or_default().trim() {
            "create" => ChangeAction::Create,
            "destroy" | "remove" => ChangeAction::Destroy,
            "start" => ChangeAction::Start,
            "stop" => ChangeAction::Stop,
            "die" => ChangeAction::Die,
            "kill" => ChangeAction::Kill,
            "pause" => ChangeAction::Pause,
            "unpause" => ChangeAction::Unpause,
            "restart" => ChangeAction::Restart,
            "rename" => ChangeAction::Rename,
            "update" => ChangeAction::Update,
            "extract-to-dir" => ChangeAction::ExtractToDir,
            "mount" => ChangeAction::Mount,
            "unmount" => ChangeAction::Unmount,
            "import" => ChangeAction::Import,
            "pull" => ChangeAction::Pull,
            "load" => ChangeAction::Load,
            "tag" => ChangeAction::Tag,
            "untag" => ChangeAction::Untag,
            "delete" => ChangeAction::Delete,
            "prune" => ChangeAction::Prune,
            _ => ChangeAction::Other,
        }
    }
}

/// Something changed on the engine: the object's kind, what happened, and its id (a
/// container's or image's id, a volume's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    pub action: ChangeAction,
    pub id: String,
}

impl Change {
    /// Whether it alters what the panels show (not exec, attach, top, …).
    pub fn is_relevant(&self) -> bool {
        use ChangeAction::*;
        match self.kind {
            ChangeKind::Container => matches!(
                self.action,
                Create
                    | Destroy
                    | Start
                    | Stop
                    | Die
                    | Kill
                    | Pause
                    | Unpause
                    | Restart
                    | Rename
                    | Update
                    | ExtractToDir
            ),
            ChangeKind::Volume => matches!(self.action, Create | Destroy | Mount | Unmount),
            // An image imported, pulled, loaded, built, tagged, untagged or deleted.
            ChangeKind::Image => matches!(self.action, Import | Pull | Load | Tag | Untag | Delete | Prune),
        }
    }

    /// Whether it may have written to a container's layer or a volume, so the object is
    /// measured again. A container writes while it runs (measured when it stops, and when it
    /// starts, after its entrypoint's first writes), and a copy into it writes; a volume
    /// changes while mounted.
    pub fn changes_size(&self) -> bool {
        use ChangeAction::*;
        match self.kind {
            ChangeKind::Container => matches!(self.action, Start | Die | Stop | ExtractToDir),
            ChangeKind::Volume => matches!(self.action, Create | Mount | Unmount),
            ChangeKind::Image => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_read_without_their_details_and_podman_remove_is_destroy() {
        assert_eq!(ChangeAction::parse("exec_start: sh -c ls"), ChangeAction::Other);
        assert_eq!(ChangeAction::parse("health_status: healthy"), ChangeAction::Other);
        assert_eq!(ChangeAction::parse("remove"), ChangeAction::Destroy);
        assert_eq!(ChangeAction::parse("destroy"), ChangeAction::Destroy);
        assert_eq!(ChangeAction::parse("extract-to-dir"), ChangeAction::ExtractToDir);
    }

    #[test]
    fn only_changes_the_panels_show_are_relevant() {
        let change = |kind, word| Change { kind, action: ChangeAction::parse(word), id: "x".into() };
        assert!(change(ChangeKind::Container, "die").is_relevant());
        assert!(!change(ChangeKind::Container, "exec_create: sh").is_relevant());
        assert!(change(ChangeKind::Volume, "remove").is_relevant());
        assert!(change(ChangeKind::Image, "untag").is_relevant());
        assert!(change(ChangeKind::Container, "start").changes_size());
        assert!(!change(ChangeKind::Container, "rename").changes_size());
    }
}
