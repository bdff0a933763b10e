//! The seven panels, their columns, and which rows they show in which order.

use std::cmp::Ordering;

use crate::model::{ContainerId, ImageId, Inventory, Measure, Volume, VolumeName};
use crate::text::secrets::is_secret_key;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Panel {
    Containers,
    Volumes,
    Binds,
    Tmpfs,
    Images,
    BuildCache,
    /// The engine's root reconciled: every byte under it placed in a part, or not accounted for.
    Disk,
}

/// How many panels there are: the tabs, the views, the marks.
pub const PANELS: usize = 7;

/// How much of a tab's label the terminal's width allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabForm {
    /// `1 Containers 4`
    Full,
    /// `1 Ctrs 4`
    Short,
    /// `1·4`
    Bare,
}

impl Panel {
    pub const ALL: [Panel; PANELS] = [
        Panel::Containers,
        Panel::Volumes,
        Panel::Binds,
        Panel::Tmpfs,
        Panel::Images,
        Panel::BuildCache,
        Panel::Disk,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn title(self) -> &'static str {
        match self {
            Panel::Containers => "Containers",
            Panel::Volumes => "Volumes",
            Panel::Binds => "Binds",
            Panel::Tmpfs => "Tmpfs",
            Panel::Images => "Images",
            Panel::BuildCache => "Build cache",
            Panel::Disk => "Disk",
        }
    }

    /// The tab's label: its key, a short title and how many rows it has. Tabs are as wide as
    /// their labels, so six fit in 80 columns.
    /// The tab's label in `form`.
    pub fn tab_label(self, inventory: &Inventory, form: TabForm) -> String {
        let count = match (self, &inventory.build_cache) {
            (Panel::BuildCache, None) => "…".to_owned(),
            // Walked on demand: until then there is nothing to count.
            (Panel::Disk, _) if inventory.disk.is_none() => "…".to_owned(),
            _ => self.len(inventory).to_string(),
        };
        let title = match (self, form) {
            (_, TabForm::Bare) => return format!(" {}·{count} ", self.index() + 1),
            (Panel::BuildCache, _) => "Cache",
            (Panel::Containers, TabForm::Short) => "Ctrs",
            (Panel::Volumes, TabForm::Short) => "Vols",
            (Panel::Images, TabForm::Short) => "Imgs",
            (panel, _) => panel.title(),
        };
        format!(" {} {title} {count} ", self.index() + 1)
    }

    /// Columns `s` cycles through, the first being the default sort.
    pub fn sort_columns(self) -> &'static [SortColumn] {
        use SortColumn::*;
        match self {
            Panel::Containers => &[Size, VirtualSize, Logs, Name, State, Image, Mounts],
            Panel::Volumes => &[Size, Name, Users, Created, Driver],
            Panel::Binds => &[HostPath, Container, Destination],
            Panel::Tmpfs => &[Container, Destination, Limit],
            Panel::Images => &[Size, UniqueSize, Name, Users, Created],
            Panel::BuildCache => &[Size, Kind, LastUsed],
            // The parts in the order they add up, then what is not accounted for, largest first.
            Panel::Disk => &[Kind, Size, Name],
        }
    }

    pub fn len(self, inventory: &Inventory) -> usize {
        match self {
            Panel::Containers => inventory.containers.len(),
            Panel::Volumes => inventory.volumes.len(),
            Panel::Binds => inventory.bind_mounts.len(),
            Panel::Tmpfs => inventory.tmpfs_mounts.len(),
            Panel::Images => inventory.images.len(),
            Panel::BuildCache => inventory.build_cache.as_ref().map_or(0, |c| c.records.len()),
            Panel::Disk => inventory.disk_lines.len(),
        }
    }

    /// A key that names the row's object across refreshes.
    pub fn row_key(self, inventory: &Inventory, index: usize) -> RowKey {
        match self {
            Panel::Containers => RowKey::Container(inventory.containers[index].id.clone()),
            Panel::Volumes => RowKey::Volume(inventory.volumes[index].name.clone()),
            Panel::Binds => {
                let b = &inventory.bind_mounts[index];
                RowKey::Mount(b.container_id.clone(), b.destination.clone())
            }
            Panel::Tmpfs => {
                let t = &inventory.tmpfs_mounts[index];
                RowKey::Mount(t.container_id.clone(), t.tmpfs.destination.clone())
            }
            Panel::Images => RowKey::Image(inventory.images[index].id.clone()),
            Panel::BuildCache => RowKey::CacheRecord(cache_records(inventory)[index].id.clone()),
            Panel::Disk => {
                let line = &inventory.disk_lines[index];
                RowKey::DiskLine(line.label(), line.path.clone())
            }
        }
    }

    /// Whether the row matches a lower-case filter: any of its visible words.
    fn matches(self, inventory: &Inventory, index: usize, needle: &str) -> bool {
        let has = |s: &str| s.to_lowercase().contains(needle);
        // A label matches by its key, its value or `key=value`; a secret's value never does (a
        // filter would give it away letter by letter).
        let labelled = |labels: &std::collections::BTreeMap<String, String>| {
            labels.iter().any(|(key, value)| {
                has(key) || (!is_secret_key(key) && (has(value) || has(&format!("{key}={value}"))))
            })
        };
        match self {
            Panel::Containers => {
                let c = &inventory.containers[index];
                has(&c.name)
                    || has(&c.image)
                    || has(c.state.as_str())
                    || c.id.starts_with(needle)
                    || labelled(&c.labels)
            }
            Panel::Volumes => {
                let v = &inventory.volumes[index];
                has(&v.name)
                    || has(&v.driver)
                    || labelled(&v.labels)
                    || v.containers.iter().any(|o| has(&o.container))
                    || (v.dangling && "dangling".contains(needle))
            }
            Panel::Binds => {
                let b = &inventory.bind_mounts[index];
                has(&b.source) || has(&b.container) || has(&b.destination)
            }
            Panel::Tmpfs => {
                let t = &inventory.tmpfs_mounts[index];
                has(&t.container) || has(&t.tmpfs.destination)
            }
            Panel::Images => {
                let i = &inventory.images[index];
                i.tags.iter().any(|t| has(t))
                    || i.short_id().starts_with(needle)
                    || labelled(&i.labels)
                    || i.containers.iter().any(|c| has(c))
                    || (i.dangling && "dangling".contains(needle))
            }
            Panel::BuildCache => {
                let r = &cache_records(inventory)[index];
                r.id.starts_with(needle) || has(&r.kind) || has(&r.description)
            }
            Panel::Disk => {
                let line = &inventory.disk_lines[index];
                has(line.label()) || has(&line.path)
            }
        }
    }

    fn compare(
        self,
        inventory: &Inventory,
        column: SortColumn,
        measure: Measure,
        a: usize,
        b: usize,
    ) -> Ordering {
        use SortColumn::*;
        let i = inventory;
        let rw = |c: &crate::model::Container| measure.pick(c.size_rw, c.disk_usage);
        let logs = |c: &crate::model::Container| {
            c.logs.as_ref().and_then(|l| measure.pick(l.size(), l.disk_usage()))
        };
        let volume = |v: &Volume| measure.pick(v.size, v.disk_usage);
        match (self, column) {
            // Sizes sort largest first; unknown sizes go last.
            (Panel::Containers, Size) => rw(&i.containers[b]).cmp(&rw(&i.containers[a])),
            (Panel::Containers, Logs) => logs(&i.containers[b]).cmp(&logs(&i.containers[a])),
            (Panel::Containers, VirtualSize) => {
                i.containers[b].size_root_fs.cmp(&i.containers[a].size_root_fs)
            }
            (Panel::Containers, State) => i.containers[a].state.as_str().cmp(i.containers[b].state.as_str()),
            (Panel::Containers, Image) => i.containers[a].image.cmp(&i.containers[b].image),
            (Panel::Containers, Mounts) => i.containers[b].mounts.len().cmp(&i.containers[a].mounts.len()),
            (Panel::Containers, _) => i.containers[a].name.cmp(&i.containers[b].name),
            (Panel::Volumes, Size) => volume(&i.volumes[b]).cmp(&volume(&i.volumes[a])),
            (Panel::Volumes, Users) => i.volumes[b].ref_count.cmp(&i.volumes[a].ref_count),
            (Panel::Volumes, Created) => i.volumes[b].created_at.cmp(&i.volumes[a].created_at),
            (Panel::Volumes, Driver) => i.volumes[a].driver.cmp(&i.volumes[b].driver),
            (Panel::Volumes, _) => i.volumes[a].name.cmp(&i.volumes[b].name),
            (Panel::Binds, Container) => i.bind_mounts[a].container.cmp(&i.bind_mounts[b].container),
            (Panel::Binds, Destination) => i.bind_mounts[a].destination.cmp(&i.bind_mounts[b].destination),
            (Panel::Binds, _) => i.bind_mounts[a].source.cmp(&i.bind_mounts[b].source),
            (Panel::Tmpfs, Destination) => {
                i.tmpfs_mounts[a].tmpfs.destination.cmp(&i.tmpfs_mounts[b].tmpfs.destination)
            }
            (Panel::Tmpfs, Limit) => {
                i.tmpfs_mounts[b].tmpfs.size_limit.cmp(&i.tmpfs_mounts[a].tmpfs.size_limit)
            }
            (Panel::Tmpfs, _) => i.tmpfs_mounts[a].container.cmp(&i.tmpfs_mounts[b].container),
            (Panel::Images, Size) => i.images[b].size.cmp(&i.images[a].size),
            (Panel::Images, UniqueSize) => i.images[b].unique_size.cmp(&i.images[a].unique_size),
            (Panel::Images, Users) => i.images[b].containers.len().cmp(&i.images[a].containers.len()),
            (Panel::Images, Created) => i.images[b].created_at.cmp(&i.images[a].created_at),
            (Panel::Images, _) => i.images[a].reference().cmp(&i.images[b].reference()),
            (Panel::Disk, column) => {
                let (a, b) = (&i.disk_lines[a], &i.disk_lines[b]);
                let bytes = |l: &crate::model::disk::DiskLine| measure.pick(Some(l.size), Some(l.disk_usage));
                match column {
                    Size => bytes(b).cmp(&bytes(a)),
                    Name => a.label().cmp(b.label()).then_with(|| a.path.cmp(&b.path)),
                    // Parts in their order; each path not accounted for after them, largest first.
                    _ => disk_order(a).cmp(&disk_order(b)).then_with(|| bytes(b).cmp(&bytes(a))),
                }
            }
            (Panel::BuildCache, column) => {
                let records = cache_records(i);
                let (a, b) = (&records[a], &records[b]);
                match column {
                    Kind => a.kind.cmp(&b.kind),
                    LastUsed => b.last_used_at.cmp(&a.last_used_at),
                    _ => b.size.cmp(&a.size),
                }
            }
        }
    }

    /// Indices into the inventory's list for this panel, filtered and sorted. The model's own
    /// order breaks ties, so equal rows keep a stable place.
    pub fn rows(self, inventory: &Inventory, sort: Sort, measure: Measure, filter: &str) -> Vec<usize> {
        let needle = filter.to_lowercase();
        let mut rows: Vec<usize> = (0..self.len(inventory))
            .filter(|&i| needle.is_empty() || self.matches(inventory, i, &needle))
            .collect();
        rows.sort_by(|&a, &b| {
            let order = self.compare(inventory, sort.column, measure, a, b);
            if sort.reversed { order.reverse() } else { order }.then(a.cmp(&b))
        });
        rows
    }
}

/// Where a Disk row goes in the parts' order: the parts, then the paths not accounted for.
fn disk_order(line: &crate::model::disk::DiskLine) -> (u8, crate::model::disk::PartKind) {
    use crate::model::disk::{DiskLineKind, PartKind};
    match line.kind {
        DiskLineKind::Part(kind) => (0, kind),
        DiskLineKind::Unaccounted(_) => (1, PartKind::Unaccounted),
    }
}

/// The build cache's records; none while it is unknown.
fn cache_records(inventory: &Inventory) -> &[crate::model::BuildCacheRecord] {
    inventory.build_cache.as_ref().map_or(&[], |c| c.records.as_slice())
}

/// The object a row shows, kept across refreshes: the selection, links and marks follow it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowKey {
    Container(ContainerId),
    Volume(VolumeName),
    /// A bind or tmpfs mount: its container and its destination there.
    Mount(ContainerId, String),
    Image(ImageId),
    CacheRecord(String),
    /// A Disk row: its label and its path.
    DiskLine(&'static str, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Size,
    UniqueSize,
    Kind,
    LastUsed,
    VirtualSize,
    Name,
    State,
    Image,
    Mounts,
    Users,
    Created,
    Driver,
    HostPath,
    Container,
    Destination,
    Limit,
    Logs,
}

impl SortColumn {
    pub fn label(self) -> &'static str {
        match self {
            SortColumn::Size => "size",
            SortColumn::UniqueSize => "unique size",
            SortColumn::Kind => "type",
            SortColumn::LastUsed => "last used",
            SortColumn::VirtualSize => "virtual size",
            SortColumn::Name => "name",
            SortColumn::State => "state",
            SortColumn::Image => "image",
            SortColumn::Mounts => "mounts",
            SortColumn::Users => "users",
            SortColumn::Created => "created",
            SortColumn::Driver => "driver",
            SortColumn::HostPath => "host path",
            SortColumn::Container => "container",
            SortColumn::Destination => "destination",
            SortColumn::Limit => "limit",
            SortColumn::Logs => "logs",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: SortColumn,
    pub reversed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Volume;

    #[test]
    fn a_secrets_value_never_matches_a_filter_but_its_key_does() {
        let labels = [("db_password".to_owned(), "hunter2".to_owned())].into();
        let volume = Volume { name: "vault".into(), labels, ..Default::default() };
        let inventory = Inventory { volumes: vec![volume], ..Default::default() };
        let sort = Sort { column: SortColumn::Name, reversed: false };
        assert!(
            Panel::Volumes.rows(&inventory, sort, Measure::Apparent, "hunter").is_empty(),
            "the value gave the secret away"
        );
        assert!(Panel::Volumes.rows(&inventory, sort, Measure::Apparent, "db_password=hun").is_empty());
        assert_eq!(Panel::Volumes.rows(&inventory, sort, Measure::Apparent, "password"), [0]);
    }
}
