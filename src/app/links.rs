//! The detail pane's links: from a volume or an image to its users, from a container to its
//! mounts and its image.

use super::panel::{Panel, RowKey};
use super::App;
use crate::model::{ContainerId, MountKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub panel: Panel,
    pub key: RowKey,
}

impl App {
    /// Where Enter can go from the selected row, in the order the detail pane lists them.
    pub fn links(&self) -> Vec<Link> {
        let Some(index) = self.view().selected_index() else { return Vec::new() };
        let inventory = &self.inventory;
        let container =
            |id: &ContainerId| Link { panel: Panel::Containers, key: RowKey::Container(id.clone()) };
        match self.nav.panel {
            Panel::Containers => {
                let mut links = self.mount_links(index);
                let image = &inventory.containers[index].image_id;
                if inventory.image(image).is_some() {
                    links.push(Link { panel: Panel::Images, key: RowKey::Image(image.clone()) });
                }
                links
            }
            Panel::Volumes => {
                inventory.volumes[index].containers.iter().map(|o| container(&o.container_id)).collect()
            }
            Panel::Binds => {
                let bind = &inventory.bind_mounts[index];
                let others = inventory
                    .ownership
                    .host_path_owners(&bind.source)
                    .iter()
                    .filter(|o| o.container_id != bind.container_id);
                std::iter::once(container(&bind.container_id))
                    .chain(others.map(|o| container(&o.container_id)))
                    .collect()
            }
            Panel::Tmpfs => vec![container(&inventory.tmpfs_mounts[index].container_id)],
            Panel::Images => inventory.images[index].container_ids.iter().map(container).collect(),
            Panel::BuildCache | Panel::Disk => Vec::new(),
        }
    }

    /// A container's mounts that lead somewhere: volumes, binds and tmpfs mounts.
    fn mount_links(&self, index: usize) -> Vec<Link> {
        let inventory = &self.inventory;
        inventory.containers[index]
            .mounts
            .iter()
            .filter_map(|m| {
                let id = &inventory.containers[index].id;
                match m.kind {
                    MountKind::Volume => {
                        m.name.clone().map(|name| Link { panel: Panel::Volumes, key: RowKey::Volume(name) })
                    }
                    MountKind::Bind => Some(Link {
                        panel: Panel::Binds,
                        key: RowKey::Mount(id.clone(), m.destination.clone()),
                    }),
                    MountKind::Tmpfs => Some(Link {
                        panel: Panel::Tmpfs,
                        key: RowKey::Mount(id.clone(), m.destination.clone()),
                    }),
                    _ => None,
                }
            })
            .collect()
    }

    /// A link as the detail pane shows it.
    pub fn link_label(&self, link: &Link) -> String {
        match &link.key {
            RowKey::Container(id) => self
                .inventory
                .container(id)
                .map_or_else(|| "(gone)".to_owned(), |c| format!("container {} ({})", c.name, c.state)),
            RowKey::Volume(name) => format!("volume {name}"),
            RowKey::Image(id) => self
                .inventory
                .image(id)
                .map_or_else(|| "(gone)".to_owned(), |i| format!("image {}", i.reference())),
            RowKey::CacheRecord(id) => format!("build cache record {id}"),
            RowKey::Mount(_, destination) => format!("{} {destination}", link.panel.title().to_lowercase()),
            RowKey::DiskLine(label, path) => format!("{label} {path}"),
        }
    }
}
