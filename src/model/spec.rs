//! What a write asks the engine to make: a volume, a container on a volume.

/// What `dockdu volume create` and the create form ask for. An empty name makes an anonymous
/// volume (the engine names it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolumeSpec {
    pub name: String,
    pub driver: String,
    pub labels: Vec<(String, String)>,
    pub options: Vec<(String, String)>,
}

/// A new container that mounts a volume.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerSpec {
    pub image: String,
    pub name: String,
    /// Empty: the image's own command.
    pub command: Vec<String>,
    pub volume: String,
    pub mount_path: String,
    pub read_only: bool,
    pub network_mode: String,
    pub labels: Vec<(String, String)>,
    /// A TTY and open stdin, so a shell or an attach works later.
    pub interactive: bool,
}
