//! Sizes as the sizing tasks hand them on, object by object.

use super::{ContainerDetails, ContainerSizes, DiskUsage, EngineError, Measured, VolumeName};

/// A container's inspect, and its sizes when known (`None`: the engine could not tell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerSized {
    pub details: ContainerDetails,
    pub sizes: Option<Measured<ContainerSizes>>,
    /// Its log and what it takes; `None` where the inspect did not say how it logs.
    pub logs: Option<super::logs::ContainerLogs>,
}

/// What the volume sizing says, piece by piece.
#[derive(Debug)]
pub enum VolumesSized {
    /// One volume: measured here, or one the engine does not measure either (`None`).
    One(VolumeName, Option<Measured<u64>>),
    /// The engine's `/system/df` for the volumes named (those it leaves out have no size). An
    /// engine that measures everything at once also answers for the containers.
    Engine { names: Vec<VolumeName>, usage: DiskUsage },
    /// `/system/df` failed: these volumes have no size yet.
    Failed { names: Vec<VolumeName>, error: EngineError },
}
