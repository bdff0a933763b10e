//! The engine's own size walks, kept out of each other's way. `/system/df` runs one at a time
//! (the engine refuses a second) and our turn is held until the engine answers, even when the
//! caller stopped waiting (the engine goes on measuring anyway). Inspects with `size=1` run a few
//! at once; while a `/system/df` that measures everything runs (API < 1.42), only the first few
//! run beside it, one at a time, for the first screen, and the rest take their sizes from its
//! answer: four at once beside it made it take 1.7 times as long here.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Mutex, OwnedMutexGuard, Semaphore};

use super::{encode_path, wire, Engine, EngineError, Problem};
use crate::model::{ContainerDetails, ContainerId, ContainerSizes, DiskUsage};

const DISK_USAGE_BUSY: &str = "a disk usage operation is already running";
/// How long another client's `/system/df` may keep ours waiting.
const DISK_USAGE_PATIENCE: Duration = Duration::from_secs(600);
/// How often a `/system/df` that failed because an object went meanwhile is asked again.
const DISK_USAGE_VANISHED: u32 = 3;
/// From this API version `/system/df` takes `type=` and measures only that part.
const API_DF_TYPE: (u32, u32) = (1, 42);
/// Inspects with `size=1` at once.
const INSPECTS_AT_ONCE: usize = 4;
/// Inspects with `size=1` beside a `/system/df` that measures everything: a screenful.
const INSPECTS_BESIDE_DISK_USAGE: usize = 32;

/// Shared by every clone of an `Engine`.
pub(super) struct SizeWalks {
    disk_usage_turn: Arc<Mutex<()>>,
    inspects: Semaphore,
    beside_disk_usage: Mutex<()>,
    run: watch::Sender<Run>,
    /// Set when the explorer leaves this engine: a `/system/df` still running for it ends too.
    closed: watch::Sender<bool>,
}

/// The `/system/df` that measures everything: whether one is running, how many inspects went
/// beside it, and the containers' sizes from the last one that answered.
#[derive(Debug, Clone, Default)]
struct Run {
    running: bool,
    inspects_beside: usize,
    containers: Option<Arc<HashMap<ContainerId, ContainerSizes>>>,
}

impl Default for SizeWalks {
    fn default() -> Self {
        SizeWalks {
            disk_usage_turn: Default::default(),
            inspects: Semaphore::new(INSPECTS_AT_ONCE),
            beside_disk_usage: Mutex::new(()),
            run: watch::Sender::new(Run::default()),
            closed: watch::Sender::new(false),
        }
    }
}

/// How an inspect with sizes goes.
enum SizeTurn<'a> {
    /// Ask the engine, holding the one turn beside a running `/system/df`, if any, until it
    /// answers (the guard is held, never read).
    Ask(#[allow(dead_code)] Option<tokio::sync::MutexGuard<'a, ()>>),
    /// A `/system/df` answered while we waited: its sizes.
    FromRun(Arc<HashMap<ContainerId, ContainerSizes>>),
}

impl SizeWalks {
    async fn size_turn(&self) -> SizeTurn<'_> {
        let (mut running, mut beside) = (false, false);
        self.run.send_if_modified(|run| {
            running = run.running;
            beside = run.running && run.inspects_beside < INSPECTS_BESIDE_DISK_USAGE;
            if beside {
                run.inspects_beside += 1;
            }
            false
        });
        if !running {
            return SizeTurn::Ask(None);
        }
        if beside {
            return SizeTurn::Ask(Some(self.beside_disk_usage.lock().await));
        }
        let mut run = self.run.subscribe();
        let answered = run.wait_for(|run| !run.running).await.ok().and_then(|run| run.containers.clone());
        match answered {
            Some(containers) => SizeTurn::FromRun(containers),
            None => SizeTurn::Ask(None),
        }
    }

    /// Ends the `/system/df` still running for this engine (its request is dropped, and with it
    /// an ssh that carries it).
    pub(super) fn close(&self) {
        self.closed.send_replace(true);
    }

    fn run_started(&self) {
        self.run.send_modify(|run| {
            run.running = true;
            run.inspects_beside = 0;
        });
    }

    fn run_ended(&self, answer: &Result<DiskUsage, EngineError>) {
        let containers = answer.as_ref().ok().map(|usage| Arc::new(usage.containers.clone()));
        self.run.send_modify(|run| {
            run.running = false;
            run.containers = containers;
        });
    }
}

impl Engine {
    /// Volume sizes from `/system/df`: only the volumes where the engine can be asked for them
    /// alone (API 1.42+); older engines measure everything, and the containers' and images' sizes
    /// come along.
    pub async fn volume_sizes(&self) -> Result<DiskUsage, EngineError> {
        let everything = !self.api_at_least(API_DF_TYPE);
        let path = if everything { "/system/df?verbose=1" } else { "/system/df?type=volume&verbose=1" };
        let mut usage = self.disk_usage_turn(path, everything).await?;
        if !everything {
            (usage.images, usage.build_cache) = (None, None);
        }
        Ok(usage)
    }

    /// The images' and the build cache's usage from `/system/df`: only those where the engine
    /// can be asked for them alone (API 1.42+); older engines measure everything (minutes on a
    /// big host), and the containers' and volumes' sizes come along.
    pub async fn image_sizes(&self) -> Result<DiskUsage, EngineError> {
        let everything = !self.api_at_least(API_DF_TYPE);
        let path = if everything {
            "/system/df?verbose=1"
        } else {
            "/system/df?type=image&type=build-cache&verbose=1"
        };
        let mut usage = self.disk_usage_turn(path, everything).await?;
        if !everything {
            usage.containers.clear();
            usage.volumes.clear();
        }
        Ok(usage)
    }

    /// One `/system/df`, in this engine's one turn; `everything`: it measures every part, so
    /// container inspects waiting beside it take their sizes from its answer.
    async fn disk_usage_turn(&self, path: &'static str, everything: bool) -> Result<DiskUsage, EngineError> {
        let turn: OwnedMutexGuard<()> = Arc::clone(&self.size_walks.disk_usage_turn).lock_owned().await;
        let engine = self.clone();
        let mut closed = self.size_walks.closed.subscribe();
        let run = tokio::spawn(async move {
            if everything {
                engine.size_walks.run_started();
            }
            let answer = tokio::select! {
                answer = engine.disk_usage(path) => answer,
                _ = closed.wait_for(|closed| *closed) => Err(EngineError::new(
                    &engine.host,
                    "measuring disk usage",
                    Problem::Other,
                    "the explorer left this engine",
                )),
            };
            if everything {
                engine.size_walks.run_ended(&answer);
            }
            drop(turn);
            answer
        });
        run.await.unwrap_or_else(|e| {
            Err(EngineError::new(&self.host, "measuring disk usage", Problem::Other, e.to_string()))
        })
    }

    async fn disk_usage(&self, path: &str) -> Result<DiskUsage, EngineError> {
        // Another client's run can hold the engine for minutes: wait for it, within a bound. Its
        // refusal costs the engine nothing, so asking often loses little time once it ends.
        let give_up = tokio::time::Instant::now() + DISK_USAGE_PATIENCE;
        let mut backoff = Duration::from_millis(100);
        let mut vanished = 0;
        while tokio::time::Instant::now() < give_up {
            match self.get_json::<wire::SystemDf>("measuring disk usage", path, None).await {
                Err(e) if e.problem == Problem::Api(500) && e.detail.contains(DISK_USAGE_BUSY) => {
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_millis(500));
                }
                // The containerd store fails the whole answer when an image goes while it is
                // measured ("failed to calculate size of image …: not found"): ask again.
                Err(e) if e.problem == Problem::Api(404) && vanished < DISK_USAGE_VANISHED => vanished += 1,
                result => return result.map(wire::SystemDf::into_disk_usage),
            }
        }
        Err(EngineError::new(&self.host, "measuring disk usage", Problem::Api(500), DISK_USAGE_BUSY))
    }

    /// What a container's inspect adds to the list: tmpfs mounts, where its writable layer is,
    /// its image; and with `with_sizes`, the engine's sizes (`size=1`: the engine walks the
    /// layer, which takes long on big layers, so it is not bounded by the timeout).
    pub async fn container_details(
        &self,
        id: &str,
        with_sizes: bool,
    ) -> Result<ContainerDetails, EngineError> {
        if !with_sizes {
            return self.inspect_details(id, false).await;
        }
        // The semaphore is never closed: a turn always comes.
        let _turn = self.size_walks.inspects.acquire().await.ok();
        let turn = self.size_walks.size_turn().await;
        if let SizeTurn::FromRun(sizes) = &turn {
            if let Some(sizes) = sizes.get(id).copied() {
                let details = self.inspect_details(id, false).await?;
                return Ok(ContainerDetails { sizes: Some(sizes), ..details });
            }
        }
        // The turn beside a running `/system/df`, if held, lasts until the engine answers.
        let answer = self.inspect_details(id, true).await;
        drop(turn);
        answer
    }

    async fn inspect_details(&self, id: &str, with_sizes: bool) -> Result<ContainerDetails, EngineError> {
        let (query, timeout) = if with_sizes { ("?size=1", None) } else { ("", Some(self.timeout)) };
        let path = format!("/containers/{}/json{query}", encode_path(id));
        let inspect: wire::Inspect = self.get_json("inspecting a container", &path, timeout).await?;
        Ok(inspect.into_details(with_sizes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(id: &str) -> Result<DiskUsage, EngineError> {
        let sizes = ContainerSizes { size_rw: 5, size_root_fs: Some(10) };
        Ok(DiskUsage { containers: HashMap::from([(id.into(), sizes)]), ..Default::default() })
    }

    #[tokio::test]
    async fn without_a_run_every_inspect_asks_the_engine() {
        let walks = SizeWalks::default();
        assert!(matches!(walks.size_turn().await, SizeTurn::Ask(None)));
    }

    #[tokio::test]
    async fn beside_a_run_a_screenful_asks_one_at_a_time_and_the_rest_take_its_answer() {
        let walks = Arc::new(SizeWalks::default());
        walks.run_started();
        for _ in 0..INSPECTS_BESIDE_DISK_USAGE {
            let turn = walks.size_turn().await;
            assert!(matches!(turn, SizeTurn::Ask(Some(_))), "one at a time, beside the run");
            assert!(walks.beside_disk_usage.try_lock().is_err(), "the turn is held while asking");
        }
        let waiting = tokio::spawn({
            let walks = Arc::clone(&walks);
            async move {
                match walks.size_turn().await {
                    SizeTurn::FromRun(sizes) => sizes.get("c1").copied(),
                    SizeTurn::Ask(_) => None,
                }
            }
        });
        // The test's runtime has one thread: yielding lets the inspect start waiting first.
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished(), "the inspect waits for the run");
        walks.run_ended(&answered("c1"));
        let sizes = waiting.await.unwrap();
        assert_eq!(sizes, Some(ContainerSizes { size_rw: 5, size_root_fs: Some(10) }));
    }

    #[tokio::test]
    async fn a_run_that_failed_leaves_the_waiting_inspects_to_ask_the_engine() {
        let walks = SizeWalks::default();
        walks.run_started();
        walks.run_ended(&Err(EngineError::new("unix:///x", "measuring disk usage", Problem::Timeout, "no")));
        assert!(matches!(walks.size_turn().await, SizeTurn::Ask(None)));
    }
}
