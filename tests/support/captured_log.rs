//! The test binary's whole log as text: one global subscriber, installed on
//! first use, before any test logs. tracing caches per call site whether
//! anyone listens, and a subscriber set for one thread races that cache when
//! other tests log at once.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use tracing_subscriber::fmt::MakeWriter;

/// Everything logged in this binary.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// The binary's log at `level` and above; the level of the first call wins.
pub fn log(level: tracing::Level) -> &'static Captured {
    static LOG: OnceLock<Captured> = OnceLock::new();
    LOG.get_or_init(|| {
        let captured = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(level)
            .with_writer(captured.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        captured
    })
}

/// Everything logged so far.
pub fn everything(level: tracing::Level) -> String {
    String::from_utf8_lossy(&log(level).0.lock().unwrap()).into_owned()
}
