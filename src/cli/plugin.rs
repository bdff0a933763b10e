//! dockdu as a docker CLI plugin: installed as `~/.docker/cli-plugins/docker-dockdu`, it runs as
//! `docker dockdu …`. The docker CLI asks a plugin for its metadata with
//! `docker-cli-plugin-metadata`, and runs it with its own arguments, so the docker CLI's global
//! options (`docker --context x dockdu report`) come before the `dockdu` word. They are read here
//! and handed on as dockdu's own options.

use std::ffi::{OsStr, OsString};

use serde_json::json;

/// The subcommand the docker CLI runs to list a plugin in `docker --help`.
pub const METADATA_COMMAND: &str = "docker-cli-plugin-metadata";
/// The plugin's name: the word after `docker`, and the binary's name after `docker-`.
pub const PLUGIN_NAME: &str = "dockdu";

#[derive(Debug, PartialEq, Eq)]
pub enum Invocation {
    /// Print the plugin metadata and exit.
    Metadata,
    /// Run with these arguments (argv[0] first).
    Run(Vec<OsString>),
}

/// The metadata the docker CLI reads, one JSON object.
pub fn metadata() -> String {
    json!({
        "SchemaVersion": "0.1.0",
        "Vendor": "dockdu",
        "Version": env!("CARGO_PKG_VERSION"),
        "ShortDescription": env!("CARGO_PKG_DESCRIPTION"),
    })
    .to_string()
}

/// How dockdu was invoked: plainly, as a plugin asked for its metadata, or as a plugin run by the
/// docker CLI (`docker-dockdu [docker's global options] dockdu [dockdu's arguments]`).
pub fn invocation(argv: Vec<OsString>) -> Invocation {
    let first = argv.get(1).map(OsString::as_os_str);
    if first == Some(OsStr::new(METADATA_COMMAND)) {
        return Invocation::Metadata;
    }
    let as_plugin = argv.first().and_then(|arg0| std::path::Path::new(arg0).file_name())
        == Some(OsStr::new(&format!("docker-{PLUGIN_NAME}")))
        || first == Some(OsStr::new(PLUGIN_NAME));
    if !as_plugin {
        return Invocation::Run(argv);
    }
    match docker_globals(&argv[1..]) {
        Some((globals, rest)) => {
            let mut args = vec![argv[0].clone()];
            args.extend(globals);
            args.extend(rest.iter().cloned());
            Invocation::Run(args)
        }
        None => Invocation::Run(argv),
    }
}

/// The docker CLI's global options before the `dockdu` word, as dockdu's options, and the
/// arguments after it; `None` when something else comes first.
fn docker_globals(args: &[OsString]) -> Option<(Vec<OsString>, &[OsString])> {
    let mut ours = Vec::new();
    let mut at = 0;
    while let Some(arg) = args.get(at) {
        let text = arg.to_str()?;
        if text == PLUGIN_NAME {
            return Some((ours, &args[at + 1..]));
        }
        let (name, attached) = match (text.split_once('='), short_attached(text)) {
            (Some((name, value)), _) if name.starts_with("--") => (name, Some(value.to_owned())),
            // pflag takes a short option's value attached: `-Htcp://h:2375`.
            (_, Some((name, value))) => (name, Some(value.to_owned())),
            _ => (text, None),
        };
        match Global::named(name)? {
            Global::Value(ours_name) => {
                let value = match attached {
                    Some(value) => value,
                    None => {
                        at += 1;
                        args.get(at)?.to_str()?.to_owned()
                    }
                };
                if let Some(ours_name) = ours_name {
                    ours.extend([OsString::from(ours_name), OsString::from(value)]);
                }
            }
            Global::Switch(ours_name) => {
                // Go's boolean flags take `=true` and `=false`.
                let on = attached.as_deref().is_none_or(|v| v.eq_ignore_ascii_case("true") || v == "1");
                if let (Some(ours_name), true) = (ours_name, on) {
                    ours.push(OsString::from(ours_name));
                }
            }
        }
        at += 1;
    }
    None
}

/// `-Xvalue` as `("-X", "value")`, cut after the option's character, whatever its width in
/// bytes (`-éx` is the user's text, not ASCII); `None` for `--long`, `-X` alone, or no option.
fn short_attached(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix('-').filter(|rest| !rest.starts_with('-'))?;
    let option = rest.chars().next()?;
    let cut = 1 + option.len_utf8();
    Some((&text[..cut], &text[cut..])).filter(|(_, value)| !value.is_empty())
}

/// A docker CLI global option, and the dockdu option it becomes (`None`: accepted, not used).
enum Global {
    Value(Option<&'static str>),
    Switch(Option<&'static str>),
}

impl Global {
    fn named(name: &str) -> Option<Global> {
        Some(match name {
            "-c" | "--context" => Global::Value(Some("--context")),
            "-H" | "--host" => Global::Value(Some("--host")),
            "--config" => Global::Value(Some("--config")),
            "--tlscacert" => Global::Value(Some("--tlscacert")),
            "--tlscert" => Global::Value(Some("--tlscert")),
            "--tlskey" => Global::Value(Some("--tlskey")),
            "-l" | "--log-level" => Global::Value(None),
            "--tls" => Global::Switch(Some("--tls")),
            "--tlsverify" => Global::Switch(Some("--tlsverify")),
            "-D" | "--debug" => Global::Switch(None),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    fn run(args: &[&str]) -> Invocation {
        Invocation::Run(argv(args))
    }

    #[test]
    fn the_metadata_names_dockdu_for_docker_help() {
        let value: serde_json::Value = serde_json::from_str(&metadata()).unwrap();
        assert_eq!(value["SchemaVersion"], "0.1.0");
        assert_eq!(value["Vendor"], "dockdu");
        assert_eq!(value["Version"], env!("CARGO_PKG_VERSION"));
        assert!(value["ShortDescription"].as_str().is_some_and(|d| !d.is_empty()));
        let asked = argv(&["/home/u/.docker/cli-plugins/docker-dockdu", METADATA_COMMAND]);
        assert_eq!(invocation(asked), Invocation::Metadata);
    }

    #[test]
    fn the_docker_clis_global_options_before_the_dockdu_word_become_dockdus() {
        let plugin = "/home/u/.docker/cli-plugins/docker-dockdu";
        let given = argv(&[plugin, "--context", "remote", "-D", "--tlsverify", "dockdu", "report", "--json"]);
        assert_eq!(
            invocation(given),
            run(&[plugin, "--context", "remote", "--tlsverify", "report", "--json"])
        );
        let given = argv(&[plugin, "-Htcp://h:2375", "--log-level=debug", "--config", "/cfg", "dockdu"]);
        assert_eq!(invocation(given), run(&[plugin, "--host", "tcp://h:2375", "--config", "/cfg"]));
        let given = argv(&[plugin, "-c", "x", "--tls=false", "-l", "info", "dockdu", "report"]);
        assert_eq!(invocation(given), run(&[plugin, "--context", "x", "report"]));
    }

    #[test]
    fn a_short_option_with_a_character_beyond_ascii_is_handed_on_not_a_panic() {
        let plugin = "docker-dockdu";
        // Not a docker option: left for dockdu's own parser, which names it.
        for args in [&[plugin, "-éx"][..], &[plugin, "-é"], &[plugin, "-Hé", "dockdu"], &[plugin, "-€"]]
        {
            let expected =
                if args.ends_with(&["dockdu"]) { run(&[plugin, "--host", "é"]) } else { run(args) };
            assert_eq!(invocation(argv(args)), expected, "{args:?}");
        }
        let given = argv(&[plugin, "-cdev-é", "dockdu", "du", "volume", "données"]);
        assert_eq!(invocation(given), run(&[plugin, "--context", "dev-é", "du", "volume", "données"]));
    }

    #[test]
    fn the_dockdu_word_first_is_the_plugin_form_too() {
        assert_eq!(invocation(argv(&["dockdu", "dockdu", "report"])), run(&["dockdu", "report"]));
    }

    #[test]
    fn a_plain_run_is_left_alone() {
        for args in
            [&["dockdu", "--host", "tcp://h:1", "report"][..], &["dockdu"], &["docker-dockdu", "report"]]
        {
            assert_eq!(invocation(argv(args)), run(args), "{args:?}");
        }
    }
}
