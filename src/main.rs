#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

fn main() -> std::process::ExitCode {
    dockdu::cli::main()
}
