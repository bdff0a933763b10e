//! The images' part of loading. The list comes with every refresh (it is fast) and fills the
//! Images panel and the create form's choice alike; shared sizes and the build cache come from
//! `/system/df`, which takes minutes on a big API < 1.42 engine: asked only once the volumes'
//! sizes are in (never delaying them), again only for images it has not measured or on `r`.

use super::form::{FormKind, ImageList};
use super::{App, Effect, Overlay};
use crate::model::images_total::ImagesRoute;
use crate::model::{DiskUsage, EngineError, ImageFacts};

/// Where the images' `/system/df` stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageSizing {
    /// One is under way.
    pub measuring: bool,
    /// The last one failed: not asked again until `r` or a new image.
    pub failed: Option<EngineError>,
    /// `r` asked for everything again.
    refresh: bool,
    /// The last answer left the build cache out: on this engine only a `/system/df` that walks
    /// everything knows it, asked for when its panel opens or on `r`.
    pub build_cache_deferred: bool,
    /// The build cache's panel was opened, or `r` pressed: measure it now.
    build_cache_wanted: bool,
}

impl App {
    /// The list, into the one place both the Images panel and the create form read it.
    pub(super) fn on_images(
        &mut self,
        seq: u64,
        result: Result<Vec<ImageFacts>, EngineError>,
    ) -> Vec<Effect> {
        if !self.loading.accept_images(seq) {
            return vec![];
        }
        let attach_form = match &mut self.overlay {
            Some(Overlay::Form(form)) if matches!(form.kind, FormKind::Attach { .. }) => Some(form),
            _ => None,
        };
        match result {
            Ok(images) => {
                if let Some(form) = attach_form {
                    form.set_images(images.iter().map(ImageFacts::reference).collect());
                }
                // A new image is worth another try after a failed measurement.
                let known: std::collections::HashSet<&str> =
                    self.sources.images.iter().map(|i| i.id.as_str()).collect();
                if images.iter().any(|i| !known.contains(i.id.as_str())) {
                    self.loading.images.failed = None;
                }
                // One gone (removed here or elsewhere): the layers' total and what others
                // shared with it have changed.
                let listed: std::collections::HashSet<&str> = images.iter().map(|i| i.id.as_str()).collect();
                if known.iter().any(|id| !listed.contains(id)) {
                    self.loading.images.refresh = true;
                }
                self.sources.images = images;
                self.loading.image_list = ImageList::Loaded;
                self.rebuild();
            }
            Err(error) => {
                if let Some(form) = attach_form {
                    form.images_failed(&error);
                }
                self.loading.image_list = ImageList::Failed;
            }
        }
        self.size_images_if_due()
    }

    pub(super) fn on_images_sized(&mut self, result: Result<Box<DiskUsage>, EngineError>) -> Vec<Effect> {
        self.loading.images.measuring = false;
        match result {
            Ok(usage) => {
                self.images_measured_by(&usage);
                self.rebuild();
            }
            Err(error) => self.loading.images.failed = Some(error),
        }
        self.size_images_if_due()
    }

    /// Takes a `/system/df` answer's images and build cache; one that measured both is the
    /// fresh measurement a refresh asked for (an old engine's volumes' answer is one).
    pub(super) fn images_measured_by(&mut self, usage: &DiskUsage) {
        self.sources.disk_usage_images(usage);
        let sizing = &mut self.loading.images;
        match (&usage.images, &usage.build_cache) {
            (Some(_), Some(_)) => {
                (sizing.refresh, sizing.build_cache_deferred, sizing.build_cache_wanted) =
                    (false, false, false);
            }
            // Read from the layer store: the build cache waits until asked for.
            (Some(_), None) => (sizing.refresh, sizing.build_cache_deferred) = (false, true),
            _ => {}
        }
    }

    /// `r`: shared sizes and the build cache are measured again too.
    pub(super) fn refresh_image_sizes(&mut self) {
        self.loading.images.refresh = true;
        self.loading.images.failed = None;
        if self.loading.images.build_cache_deferred {
            self.loading.images.build_cache_wanted = true;
        }
    }

    /// A `/system/df` for the images, when something is unmeasured, none is running, the last
    /// did not fail, and the containers' and volumes' sizes (which may need `/system/df` too)
    /// are all in: on an old engine theirs measures the images too.
    pub(super) fn size_images_if_due(&mut self) -> Vec<Effect> {
        let sizing = &self.loading.images;
        let listed = self.loading.image_list == ImageList::Loaded;
        // Until the lists are in, their sizing (maybe a `/system/df` itself) is not planned yet;
        // once planned, a container or volume still waiting may be waiting for a `/system/df`,
        // and the engine runs one at a time: the images' must not go first.
        let others_settled = self.loading.lists_shown() && !self.loading.sizing();
        // The route depends on the engine's store and data root, from `/info`.
        let described = self.loading.described;
        if !listed || sizing.measuring || sizing.failed.is_some() || !others_settled || !described {
            return vec![];
        }
        let measured = self.sources.image_usage.as_ref();
        let cache_unmeasured =
            self.sources.build_cache.is_none() && (!sizing.build_cache_deferred || sizing.build_cache_wanted);
        let unmeasured = cache_unmeasured
            || self.sources.images.iter().any(|i| measured.is_none_or(|m| !m.images.contains_key(&i.id)));
        if !unmeasured && !sizing.refresh {
            return vec![];
        }
        let route = ImagesRoute::choose(&self.sources.engine, self.sources.local, sizing.build_cache_wanted);
        let listed = self.sources.images.iter().map(|i| i.id.clone()).collect();
        self.loading.images = ImageSizing { measuring: true, refresh: false, failed: None, ..sizing.clone() };
        vec![Effect::SizeImages { route, listed }]
    }

    /// The Build cache panel opened where its measurement was left for later: measure it now.
    pub(super) fn build_cache_panel_opened(&mut self) -> Vec<Effect> {
        if self.nav.panel != super::Panel::BuildCache || !self.loading.images.build_cache_deferred {
            return vec![];
        }
        self.loading.images.build_cache_wanted = true;
        self.size_images_if_due()
    }
}
