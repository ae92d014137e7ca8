//! Every store msgcore ships passes the public conformance suite.

use msgcore::store::{MemoryStore, conformance};

#[tokio::test]
async fn the_memory_store_passes_the_conformance_suite() {
    conformance::run_all(&MemoryStore::new()).await;
}
