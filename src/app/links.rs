//! The detail pane's links: from a volume or an image to its users, from a container to its
//! mounts and its image.

use super::panel::Panel;
use super::App;
use crate::model::MountKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub panel: Panel,
    pub key: String,
}

impl App {
    /// Where Enter can go from the selected row, in the order the detail pane lists them.
    pub fn links(&self) -> Vec<Link> {
        let Some(index) = self.view().selected_index() else { return Vec::new() };
        let inventory = &self.inventory;
        let container = |id: &str| Link { panel: Panel::Containers, key: id.to_owned() };
        match self.panel {
            Panel::Containers => {
                let mut links = self.mount_links(index);
                let image = &inventory.containers[index].image_id;
                if inventory.image(image).is_some() {
                    links.push(Link { panel: Panel::Images, key: image.clone() });
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
            Panel::Images => inventory.images[index].container_ids.iter().map(|id| container(id)).collect(),
            Panel::BuildCache => Vec::new(),
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
                    MountKind::Volume => m.name.clone().map(|key| Link { panel: Panel::Volumes, key }),
                    MountKind::Bind => {
                        Some(Link { panel: Panel::Binds, key: format!("{id}\0{}", m.destination) })
                    }
                    MountKind::Tmpfs => {
                        Some(Link { panel: Panel::Tmpfs, key: format!("{id}\0{}", m.destination) })
                    }
                    _ => None,
                }
            })
            .collect()
    }

    /// A link as the detail pane shows it.
    pub fn link_label(&self, link: &Link) -> String {
        match link.panel {
            Panel::Containers => self
                .inventory
                .container(&link.key)
                .map_or_else(|| "(gone)".to_owned(), |c| format!("container {} ({})", c.name, c.state)),
            Panel::Volumes => format!("volume {}", link.key),
            Panel::Images => self
                .inventory
                .image(&link.key)
                .map_or_else(|| "(gone)".to_owned(), |i| format!("image {}", i.reference())),
            Panel::BuildCache => format!("build cache record {}", link.key),
            Panel::Binds | Panel::Tmpfs => {
                let destination = link.key.split_once('\0').map_or("", |(_, d)| d);
                format!("{} {destination}", link.panel.title().to_lowercase())
            }
        }
    }
}
