//! A runnable msgcore backend: Twilio, Telnyx and Meta webhooks into an inbox kept
//! in a SQLite file, replies sent by the dispatcher.
//!
//! ```sh
//! MSGCORE_PUBLIC_URL=https://your-tunnel.example \
//! TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=… TWILIO_FROM_NUMBER=+12025551234 \
//!   cargo run --example server --features api,http,sqlite,mcp
//! ```
//!
//! Every variable is listed in the README ("Running the example server"). At
//! start-up it prints the exact webhook URLs to paste into each provider's console.
//! The REST API answers at `/api/whatsapp-api`; its keys are made with
//!
//! ```sh
//! cargo run --example server --features api,http,sqlite,mcp -- \
//!   create-key --name CRM --scopes contacts:read,messages:send
//! ```
//!
//! Built with feature `mcp`, it also serves the MCP tools at `/mcp`
//! (Streamable HTTP), and `mcp-stdio` serves them to a desktop assistant:
//!
//! ```sh
//! MSGCORE_API_KEY=msgcore_… cargo run --example server --features api,http,sqlite,mcp -- mcp-stdio
//! ```

pub mod app;
pub mod config;
pub mod keys;
#[cfg(feature = "mcp")]
pub mod mcp;

use std::process::ExitCode;

use config::{Config, InboxConfig};

#[tokio::main]
async fn main() -> ExitCode {
    log_to_stderr();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.split_first() {
        None => serve().await,
        Some((command, rest)) if command == "create-key" => create_key(rest).await,
        #[cfg(feature = "mcp")]
        Some((command, _)) if command == "mcp-stdio" => mcp_stdio().await,
        Some((other, _)) => {
            eprintln!("msgcore server: unknown command {other:?}\n{}", keys::USAGE);
            ExitCode::from(2)
        }
    }
}

/// `create-key`: the token alone on standard output, the rest on standard error.
async fn create_key(args: &[String]) -> ExitCode {
    let request = match keys::KeyRequest::from_args(args) {
        Ok(request) => request,
        Err(problem) => {
            eprintln!("msgcore server: {problem}\n{}", keys::USAGE);
            return ExitCode::from(2);
        }
    };
    let config = match inbox_config("make a key") {
        Ok(config) => config,
        Err(code) => return code,
    };
    match keys::create_key(&config, request).await {
        Ok(created) => {
            eprintln!("{}", keys::describe(&created));
            println!("{}", created.token());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("msgcore server: cannot make a key: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The inbox the environment names, for a command that needs no provider;
/// what is wrong said on standard error, for doing `what`.
fn inbox_config(what: &str) -> Result<InboxConfig, ExitCode> {
    InboxConfig::from_vars(|name| std::env::var(name).ok()).map_err(|problem| {
        eprintln!("msgcore server: cannot {what}; fix this environment variable:\n  - {problem}");
        ExitCode::from(2)
    })
}

/// `mcp-stdio`: the MCP server on standard input and output (standard output
/// is the protocol's; everything else goes to standard error).
#[cfg(feature = "mcp")]
async fn mcp_stdio() -> ExitCode {
    let config = match inbox_config("serve MCP") {
        Ok(config) => config,
        Err(code) => return code,
    };
    match mcp::serve_stdio(&config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("msgcore server: MCP over stdio: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the server until Ctrl-C or SIGTERM.
async fn serve() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(problems) => {
            eprintln!("msgcore server: cannot start; fix these environment variables:");
            for problem in problems {
                eprintln!("  - {problem}");
            }
            return ExitCode::from(2);
        }
    };
    let running = match app::start(&config).await {
        Ok(running) => running,
        Err(error) => {
            eprintln!("msgcore server: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    print_banner(&config, &running);
    stop_requested().await;
    match running.stop().await {
        Ok(report) => {
            println!("stopped; the dispatcher sent {} message(s)", report.sent);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("msgcore server: unclean stop: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to standard error as `RUST_LOG` says (default: `info`): a line per
/// webhook with its tenant and provider message id, per send with its attempt,
/// per retry and failure. Never a secret or a message body at `info`.
fn log_to_stderr() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// Ctrl-C, or SIGTERM where there is one (what `docker stop` and systemd send).
async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

fn print_banner(config: &Config, running: &app::Running) {
    println!("msgcore server listening on http://{}", running.addr);
    println!(
        "inbox: {} (tenant {:?}, {})",
        config.inbox.database, running.tenant.slug, running.tenant.org_name
    );
    println!(
        "REST API: http://{}{}/ (make a key: create-key --name NAME --scopes SCOPES)",
        running.addr,
        app::API_PATH
    );
    println!("media: {}", config.api.media_dir.display());
    #[cfg(feature = "mcp")]
    println!(
        "MCP: http://{}{} (Bearer key), or `mcp-stdio` with MSGCORE_API_KEY",
        running.addr,
        mcp::MCP_PATH
    );
    println!("paste these webhook URLs into the providers' consoles:");
    for url in &running.webhook_urls {
        let exact = url.url.replace("{tenant}", &running.tenant.slug);
        println!("  {:<44} {:<9} {exact}", url.label, url.method);
    }
}
