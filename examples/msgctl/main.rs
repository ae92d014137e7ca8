//! `msgctl` — the command-line companion to msgcore.
//!
//! For people debugging a deployment, and the contract conformance checks use
//! (SPEC §17). Every command reads JSON Lines on stdin and writes exactly one JSON
//! line per input line on stdout, in order. A line that cannot be handled gives
//! `{"error": "..."}` and the tool goes on; it never panics.
//!
//! ```sh
//! echo '{"input": "(212) 555-1234", "region": "US"}' | cargo run --example msgctl -- e164
//! # {"e164":"+12125551234"}
//! ```

mod demo;
mod e164;
mod import;
mod keyword;
pub mod lines;
mod quiet_hours;
mod render;
mod segments;
mod simulate;
mod tag;
mod verify;

use std::process::ExitCode;

const USAGE: &str = "\
usage: msgctl <command> < input.jsonl > output.jsonl

Each input line is one JSON object; each output line answers it, in order.

commands:
  e164      {\"input\": \"(212) 555-1234\", \"region\": \"US\"}  ->  {\"e164\": \"+12125551234\"}
  segments  {\"text\": \"Hi 👋\", \"smart_encoding\": false}  ->  {\"encoding\": \"UCS-2\", \"segments\": 1, \"units\": 5, \"within_cap\": true}
  keyword   {\"text\": \" Stop. \"}  ->  {\"action\": \"opt_out\"}
  render    {\"template\": \"Hi {{contact.name}}\", \"vars\": {\"contact.name\": \"Ann\"}}  ->  {\"text\": \"Hi Ann\"}
  verify    {\"provider\": \"meta\", \"body\": \"{}\", \"app_secret\": \"k\", \"signature\": \"sha256=…\"}  ->  {\"valid\": false, \"reason\": \"…\"}
  quiet-hours  {\"to\": \"+13055551234\", \"at\": \"2026-03-09T00:30:00Z\", \"kind\": \"marketing\"}  ->  {\"allowed\": false, \"hold_until\": \"2026-03-09T12:00:00Z\"}
  simulate  {\"at\": \"2026-03-02T18:00:00Z\", \"do\": \"inbound\", \"channel\": \"sms\", \"from\": \"+14155550100\", \"to\": \"+14155550199\", \"text\": \"STOP\", \"id\": \"SM1\"}  ->  {\"ok\": true, \"replies\": [\"You have been unsubscribed...\"], \"queued\": [], ...}
            steps (\"do\"): inbound send status assign resolve reopen handoff contact import contact_status
            plan campaign campaign_status campaign_pause campaign_resume campaign_cancel
            workflow start_workflow run_status rule tick
  import    {\"csv\": \"phone,name\\n+12025550123,Ada\\n\", \"default_region\": \"US\"}  ->  {\"rows\": 1, \"created\": 1, \"updated\": 0, ...}
  tag       {\"rules\": [{\"kind\": \"contains\", \"pattern\": \"order\", \"tag\": \"buyer\"}], \"text\": \"my ORDER\"}  ->  {\"tags\": [\"buyer\"]}
";

fn main() -> ExitCode {
    let handler = match choose(std::env::args().nth(1).as_deref()) {
        Choice::Run(handler) => handler,
        Choice::Help => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Choice::Refuse(why) => {
            eprintln!("msgctl: {why}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match lines::run(std::io::stdin().lock(), std::io::stdout().lock(), handler) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("msgctl: {error}");
            ExitCode::FAILURE
        }
    }
}

/// What the first argument asks for.
pub enum Choice {
    /// Run this command's handler over stdin.
    Run(lines::Handler),
    /// Print the usage.
    Help,
    /// Refuse, saying why, before the usage.
    Refuse(String),
}

/// What `command` (the first argument, if any) asks for.
pub fn choose(command: Option<&str>) -> Choice {
    match command {
        None => Choice::Refuse("no command given".to_owned()),
        Some("-h" | "--help" | "help") => Choice::Help,
        Some(command) => match handler(command) {
            Some(handler) => Choice::Run(handler),
            None => Choice::Refuse(format!("unknown command {command:?}")),
        },
    }
}

/// The line handler for `command`, if there is such a command.
pub fn handler(command: &str) -> Option<lines::Handler> {
    Some(match command {
        "e164" => Box::new(e164::handle),
        "import" => Box::new(import::handle),
        "keyword" => Box::new(keyword::handle),
        "quiet-hours" => Box::new(quiet_hours::handle),
        "render" => Box::new(render::handle),
        "segments" => Box::new(segments::handle),
        "simulate" => simulate::handler(),
        "tag" => Box::new(tag::handle),
        "verify" => Box::new(verify::handle),
        _ => return None,
    })
}
