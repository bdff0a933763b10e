//! What fills a volume, a container's writable layer or a bind source: one `Tree`, measured
//! here where the files can be read, otherwise read through the engine's archive stream. The
//! same tree serves the browser and `dockdu du`.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::engine::{Engine, EngineError, HELPER_MOUNT};
use crate::measure::{
    self, local, tar::TarTree, Bounds, Cancel, Change, Layout, NodeKind, Progress, Tree, WalkError,
};
pub use crate::model::browse::{BrowseError, Target};
use crate::model::{resolve, ContainerFacts, ContainerId, MountKind, SizeSource, Snapshotter};
use crate::tasks::cleanup::Cleanup;

#[derive(Debug)]
pub struct Browsed {
    pub target: Target,
    pub source: SizeSource,
    pub tree: Tree,
}

/// Callbacks from the walk: progress as it goes.
pub type OnProgress = Box<dyn FnMut(Progress) + Send>;

/// Measures `target`: here when the engine is local and the files can be read (unless
/// `via_engine`), else through the engine. Dropping the future stops a walk under way; a helper
/// container it made is removed by a task `cleanup` keeps, which its owner awaits on the way out.
pub async fn measure(
    engine: &Engine,
    target: &Target,
    via_engine: bool,
    mut progress: OnProgress,
    cleanup: &Cleanup,
) -> Result<Browsed, BrowseError> {
    let here = engine.is_local() && !via_engine;
    // Named as found: a prefix the user typed becomes the volume's or container's full name.
    let browsed = |target: Target, source, mut tree: Tree| {
        if !matches!(target, Target::Bind(_) | Target::Path(_)) {
            tree.set_root_name(target.name().as_bytes());
        }
        Browsed { target, source, tree }
    };
    match target {
        Target::Volume(name) => {
            let volumes = engine.volumes().await?;
            let volume = resolve::volume(&volumes, name).map_err(|e| unresolved(e, "volume", name))?;
            let name = volume.name.as_str();
            let found = Target::Volume(name.to_owned());
            if here && !volume.mountpoint.is_empty() {
                let root = PathBuf::from(&volume.mountpoint);
                match walk_here(root, Layout::Plain, &mut progress).await? {
                    Ok(tree) => return Ok(browsed(found, SizeSource::Host, tree)),
                    Err(WalkError::Unreadable { .. }) => {} // through the engine, below
                    Err(WalkError::Cancelled) => return Err(BrowseError::Other("cancelled".to_owned())),
                }
            }
            let tree = volume_through_engine(engine, name, &mut progress, cleanup).await?;
            Ok(browsed(found, SizeSource::Engine, tree))
        }
        Target::Container(name) => {
            let container = find_container(engine, name).await?;
            let found = Target::Container(container.name.clone());
            let changes = engine.layer_changes(&container.id).await?;
            if here {
                let details = engine.container_details(&container.id, false).await?;
                // A graph driver's upper folder, or a running container's containerd snapshot
                // (with the native snapshotter, a whole copy of its root).
                let (layer, layout, source) = match (details.writable_layer, details.snapshotter, details.pid)
                {
                    (Some(upper), _, _) => (Some(PathBuf::from(upper)), Layout::Layer, SizeSource::Host),
                    (None, Some(snapshotter), Some(pid)) => {
                        let found = super::sizes::snapshot_layer(snapshotter, pid).await;
                        let layout =
                            if snapshotter == Snapshotter::Native { Layout::Plain } else { Layout::Layer };
                        (found, layout, SizeSource::Snapshot)
                    }
                    _ => (None, Layout::Layer, SizeSource::Host),
                };
                if let Some(layer) = layer {
                    if let Ok(mut tree) = walk_here(layer, layout, &mut progress).await? {
                        local::mark_changes(&mut tree, &change_map(&changes));
                        return Ok(browsed(found, source, tree));
                    }
                }
            }
            let tree = layer_through_engine(engine, &container.id, &changes, &mut progress).await?;
            Ok(browsed(found, SizeSource::Engine, tree))
        }
        // A folder under the engine's root: its own filesystem only, never into a running
        // container's merged root mounted there.
        Target::Path(path) => {
            if !engine.is_local() {
                return Err(BrowseError::Refused("the engine's root is on another machine".to_owned()));
            }
            let bounds = Bounds { one_filesystem: true };
            match walk_here_within(PathBuf::from(path), Layout::Plain, bounds, &mut progress).await? {
                Ok(tree) => Ok(browsed(target.clone(), SizeSource::Host, tree)),
                Err(WalkError::Cancelled) => Err(BrowseError::Other("cancelled".to_owned())),
                Err(e) => Err(BrowseError::Other(e.to_string())),
            }
        }
        Target::Bind(path) => {
            if here {
                match walk_here(PathBuf::from(path), Layout::Plain, &mut progress).await? {
                    Ok(tree) => return Ok(browsed(target.clone(), SizeSource::Host, tree)),
                    Err(WalkError::Unreadable { error, .. })
                        if error.kind() == std::io::ErrorKind::NotFound =>
                    {
                        return Err(BrowseError::NotFound(format!("no such path: {path}")));
                    }
                    Err(_) => {}
                }
            }
            let containers = engine.containers().await?;
            let mount = containers.iter().find_map(|c| {
                c.mounts
                    .iter()
                    .find(|m| m.kind == MountKind::Bind && m.source.as_deref() == Some(path.as_str()))
                    .map(|m| (c.id.clone(), m.destination.clone()))
            });
            let Some((id, destination)) = mount else {
                return Err(BrowseError::NotFound(format!(
                    "no container mounts {path}: the engine can read a bind source only through one"
                )));
            };
            let tree = archive_tree(engine, &id, &destination, &mut progress).await?;
            Ok(browsed(target.clone(), SizeSource::Engine, tree))
        }
    }
}

async fn find_container(engine: &Engine, name: &str) -> Result<ContainerFacts, BrowseError> {
    let containers = engine.containers().await?;
    resolve::container(&containers, name).cloned().map_err(|e| unresolved(e, "container", name))
}

fn unresolved(why: resolve::Unresolved, kind: &str, given: &str) -> BrowseError {
    match why {
        resolve::Unresolved::Missing => BrowseError::NotFound(why.message(kind, given)),
        resolve::Unresolved::Ambiguous(_) => BrowseError::Ambiguous(why.message(kind, given)),
    }
}

/// Stops a walk on another thread when the task waiting for it goes away.
pub(super) struct CancelOnDrop(pub(super) Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Walks `root` on a blocking thread. The outer error is the thread's; the inner, the walk's.
async fn walk_here(
    root: PathBuf,
    layout: Layout,
    progress: &mut OnProgress,
) -> Result<Result<Tree, WalkError>, BrowseError> {
    walk_here_within(root, layout, Bounds::default(), progress).await
}

async fn walk_here_within(
    root: PathBuf,
    layout: Layout,
    bounds: Bounds,
    progress: &mut OnProgress,
) -> Result<Result<Tree, WalkError>, BrowseError> {
    let guard = CancelOnDrop(Cancel::default());
    let cancel = guard.0.clone();
    // The progress callback goes to the thread and comes back with the tree.
    let mut callback: OnProgress = std::mem::replace(progress, Box::new(|_| {}));
    let (result, callback) = tokio::task::spawn_blocking(move || {
        let result = local::build_within(&root, layout, bounds, &cancel, &mut *callback);
        (result, callback)
    })
    .await
    .map_err(|e| BrowseError::Other(format!("the walk stopped: {e}")))?;
    *progress = callback;
    drop(guard);
    Ok(result)
}

/// A tar stream of `path` in container `id`, counted into a tree named after `path`.
async fn archive_tree(
    engine: &Engine,
    id: &str,
    path: &str,
    progress: &mut OnProgress,
) -> Result<Tree, BrowseError> {
    let name = path.rsplit('/').find(|p| !p.is_empty()).unwrap_or("/");
    let mut archive = engine.archive(id, path).await?;
    let mut tar = TarTree::new(name.as_bytes(), true, &mut **progress);
    while let Some(piece) = archive.next().await {
        tar.feed(&piece?).map_err(|e| BrowseError::Other(e.to_string()))?;
    }
    Ok(tar.finish())
}

/// A volume through a container that mounts it, or else through a helper container made for it
/// and removed afterwards, whatever happens.
async fn volume_through_engine(
    engine: &Engine,
    name: &str,
    progress: &mut OnProgress,
    cleanup: &Cleanup,
) -> Result<Tree, BrowseError> {
    let containers = engine.containers().await?;
    let user = containers.iter().find_map(|c| {
        c.mounts
            .iter()
            .find(|m| m.kind == MountKind::Volume && m.name.as_deref() == Some(name))
            .map(|m| (c.id.clone(), m.destination.clone()))
    });
    if let Some((id, destination)) = user {
        return archive_tree(engine, &id, &destination, progress).await;
    }
    if engine.is_read_only() {
        return Err(BrowseError::Refused(format!(
            "volume {name} is used by no container: reading it through the engine needs a helper \
             container, and dockdu runs with --read-only"
        )));
    }
    let mut images = engine.images().await?;
    // The smallest image: the least likely to declare volumes the create would make. One removed
    // since the list (on a busy engine) gives way to the next.
    images.sort_by_key(|i| i.size.unwrap_or(u64::MAX));
    let candidates: Vec<String> =
        images.into_iter().take(HELPER_IMAGE_TRIES).map(|i| i.id.as_str().to_owned()).collect();
    let Some((last, others)) = candidates.split_last() else {
        return Err(BrowseError::Refused(format!(
            "volume {name} is used by no container and there is no image here to make a helper \
             container from (dockdu never pulls one)"
        )));
    };
    // The create runs as a task of its own, so a cancelled read never leaves it half-way: the
    // guard waits for it, then removes what it made.
    let create = {
        let (engine, name, last, others) = (engine.clone(), name.to_owned(), last.clone(), others.to_vec());
        tokio::spawn(async move {
            for image in &others {
                match engine.create_helper(&helper_name(), image, &name).await {
                    Err(e) if e.is_not_found() => continue,
                    made => return made,
                }
            }
            engine.create_helper(&helper_name(), &last, &name).await
        })
    };
    let mut helper =
        Helper { engine: engine.clone(), create: Some(create), id: None, cleanup: cleanup.clone() };
    let result = match helper.created().await {
        Ok(id) => archive_tree(engine, &id, HELPER_MOUNT, progress).await,
        Err(e) => Err(e),
    };
    helper.remove().await;
    result
}

/// Images tried, smallest first, for a helper container.
const HELPER_IMAGE_TRIES: usize = 3;

fn helper_name() -> String {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("dockdu-helper-{}-{nanos}", std::process::id())
}

type Creating = tokio::task::JoinHandle<Result<ContainerId, EngineError>>;

/// A helper container being made (`create`) or made (`id`): removed by `remove`, or when dropped
/// (the read was cancelled or failed) by a task that first waits for the create to end. Either
/// removal is kept by `cleanup` until it ends.
struct Helper {
    engine: Engine,
    create: Option<Creating>,
    id: Option<ContainerId>,
    cleanup: Cleanup,
}

impl Helper {
    /// The container's id, once the engine made it. The create stays in `self` while awaited,
    /// so a cancel meanwhile still leaves it to `Drop`.
    async fn created(&mut self) -> Result<ContainerId, BrowseError> {
        let Some(create) = self.create.as_mut() else {
            return self.id.clone().ok_or_else(|| BrowseError::Other("no helper container".to_owned()));
        };
        let answer = create.await;
        self.create = None;
        match answer {
            Ok(Ok(id)) => {
                self.id = Some(id.clone());
                Ok(id)
            }
            Ok(Err(e)) => Err(e.into()),
            Err(e) => Err(BrowseError::Other(format!("creating the helper container stopped: {e}"))),
        }
    }

    async fn remove(mut self) {
        let removal = remove_helper(self.engine.clone(), self.create.take(), self.id.take());
        self.cleanup.ensure(removal).await;
    }
}

async fn remove_helper(engine: Engine, create: Option<Creating>, id: Option<ContainerId>) {
    let id = match create {
        Some(create) => create.await.ok().and_then(Result::ok),
        None => id,
    };
    if let Some(id) = id {
        if let Err(e) = engine.remove_helper(&id).await {
            tracing::warn!(error = %e, "could not remove the helper container {id}");
        }
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        let (create, id) = (self.create.take(), self.id.take());
        if (create.is_some() || id.is_some()) && tokio::runtime::Handle::try_current().is_ok() {
            drop(self.cleanup.ensure(remove_helper(self.engine.clone(), create, id)));
        }
    }
}

fn change_map(changes: &[(String, Change)]) -> HashMap<Vec<u8>, Change> {
    changes.iter().map(|(path, change)| (path.as_bytes().to_vec(), *change)).collect()
}

/// A writable layer through the engine: the changes name the entries, the archive of each
/// first-level changed path gives their sizes, and deletions are entries of size 0.
async fn layer_through_engine(
    engine: &Engine,
    id: &str,
    changes: &[(String, Change)],
    progress: &mut OnProgress,
) -> Result<Tree, BrowseError> {
    let map = change_map(changes);
    let mut tar = TarTree::new(b"/", false, &mut **progress).layer(&map);
    let first_level = changes.iter().filter(|(path, change)| {
        *change != Change::Deleted && path.trim_start_matches('/').split('/').count() == 1
    });
    for (path, _) in first_level {
        tar.next_archive(false);
        let mut archive = engine.archive(id, path).await?;
        while let Some(piece) = archive.next().await {
            tar.feed(&piece?).map_err(|e| BrowseError::Other(e.to_string()))?;
        }
    }
    for (path, change) in changes.iter().filter(|(_, change)| *change == Change::Deleted) {
        tar.add_path(path.as_bytes(), NodeKind::Other, 0, Some(*change));
    }
    Ok(tar.finish())
}

/// A tree as the JSON of `dockdu du` (see the README), entries deeper than `depth` left out.
pub fn json(browsed: &Browsed, depth: usize) -> serde_json::Value {
    use measure::NodeId;
    fn node(tree: &Tree, id: NodeId, path: &[u8], depth: usize) -> serde_json::Value {
        let mut object = serde_json::json!({
            "name": tree.name_lossy(id),
            "path": String::from_utf8_lossy(path),
            "kind": tree.kind(id).as_str(),
            "size": tree.size(id),
            "files": tree.files(id),
        });
        if tree.is_hard_link(id) {
            object["hard_link"] = true.into();
        }
        if let Some(change) = tree.change(id) {
            object["change"] = change.as_str().into();
        }
        if tree.kind(id) == NodeKind::Dir && depth > 0 {
            let children: Vec<serde_json::Value> = measure::sorted_children(tree, id, measure::SortBy::Size)
                .into_iter()
                .map(|child| {
                    let mut child_path = if path == b"/" { Vec::new() } else { path.to_vec() };
                    child_path.push(b'/');
                    child_path.extend_from_slice(tree.name(child));
                    node(tree, child, &child_path, depth - 1)
                })
                .collect();
            object["children"] = children.into();
        }
        object
    }
    let tree = &browsed.tree;
    serde_json::json!({
        "target": {"kind": browsed.target.kind(), "name": browsed.target.name()},
        "source": browsed.source.as_str(),
        "size": tree.size(NodeId::ROOT),
        "files": tree.files(NodeId::ROOT),
        "tree": node(tree, NodeId::ROOT, b"/", depth),
    })
}

/// A tree as text, like `du`: one line per entry down to `depth`, biggest first, indented, with
/// ncdu's `H` between size and name on each name of a hard-linked file (explained at the end).
pub fn text(browsed: &Browsed, depth: usize) -> String {
    use measure::NodeId;
    let tree = &browsed.tree;
    let mut out = format!(
        "{} {} ({}, measured by the {})\n",
        crate::text::format::size(Some(tree.size(NodeId::ROOT))),
        browsed.target.name(),
        crate::text::format::count(tree.files(NodeId::ROOT), "file"),
        browsed.source.as_str(),
    );
    let mut stack: Vec<(NodeId, usize)> = vec![(NodeId::ROOT, 0)];
    let mut hard_links = false;
    while let Some((id, level)) = stack.pop() {
        if level > 0 {
            let mark = tree.change(id).map(|change| format!(" [{}]", change.as_str())).unwrap_or_default();
            let slash = if tree.kind(id) == NodeKind::Dir { "/" } else { "" };
            let link = if tree.is_hard_link(id) { 'H' } else { ' ' };
            hard_links |= tree.is_hard_link(id);
            out.push_str(&format!(
                "{:>10} {link} {}{}{slash}{mark}\n",
                crate::text::format::size(Some(tree.size(id))),
                "  ".repeat(level - 1),
                tree.name_lossy(id),
            ));
        }
        if level < depth {
            let children = measure::sorted_children(tree, id, measure::SortBy::Size);
            stack.extend(children.into_iter().rev().map(|c| (c, level + 1)));
        }
    }
    if hard_links {
        out.push_str("H: one file with several names here: each shows its size, each total counts it once\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::NodeId;

    /// `logs/big.log` and `logs/big.log.1`, one file of 4 MiB, and `old/big.log.2` a third name.
    fn rotated() -> Browsed {
        let mut tree = Tree::new(b"logs");
        let logs = tree.add(NodeId::ROOT, b"logs", NodeKind::Dir, 0);
        let first = tree.add(logs, b"big.log", NodeKind::File, 4 << 20);
        let second = tree.add(logs, b"big.log.1", NodeKind::File, 4 << 20);
        tree.hard_link(second, first);
        let old = tree.add(NodeId::ROOT, b"old", NodeKind::Dir, 0);
        let third = tree.add(old, b"big.log.2", NodeKind::File, 4 << 20);
        tree.hard_link(third, first);
        tree.add(NodeId::ROOT, b"notes", NodeKind::File, 5);
        tree.finish();
        Browsed { target: Target::Volume("logs".into()), source: SizeSource::Host, tree }
    }

    #[test]
    fn du_json_gives_each_name_its_size_and_a_mark_and_counts_the_file_once() {
        let json = json(&rotated(), 2);
        assert_eq!(json["size"], (4 << 20) + 5);
        let logs = &json["tree"]["children"][0];
        assert_eq!(
            (&logs["name"], &logs["size"], logs.get("hard_link")),
            (&"logs".into(), &(4 << 20).into(), None)
        );
        for name in &logs["children"].as_array().expect("logs/ is listed")[..2] {
            assert_eq!((&name["size"], &name["hard_link"]), (&(4 << 20).into(), &true.into()), "{name}");
        }
        let old = &json["tree"]["children"][1];
        assert_eq!((&old["size"], &old["children"][0]["hard_link"]), (&(4 << 20).into(), &true.into()));
        assert_eq!(json["tree"]["children"][2].get("hard_link"), None, "a file with one name");
    }

    #[test]
    fn du_text_marks_each_name_of_a_hard_linked_file_with_h() {
        let text = text(&rotated(), 2);
        let four = crate::text::format::size(Some(4 << 20));
        assert!(text.contains(&format!("{four:>10} H   big.log\n")), "{text}");
        assert!(text.contains(&format!("{four:>10} H   big.log.1\n")), "{text}");
        assert!(text.contains(&format!("{four:>10} H   big.log.2\n")), "{text}");
        assert!(text.contains(&format!("{four:>10}   logs/\n")), "{text}");
        assert!(text.contains(&format!("{:>10}   notes\n", "5 B")), "{text}");
        assert!(text.ends_with("each total counts it once\n"), "{text}");
    }
}
