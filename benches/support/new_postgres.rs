//! A new, empty PostgreSQL database for a bench, on the server of
//! `DATABASE_URL`, dropped first if an earlier run left it.

use std::sync::Arc;

use msgcore::store::{PostgresStore, Store};

/// Creates database `name` afresh and connects a store to it; `why` says, if
/// `DATABASE_URL` is unset, which setting asked for PostgreSQL.
pub async fn new_postgres(name: &str, why: &str) -> Arc<dyn Store> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| panic!("{why} needs DATABASE_URL"));
    let admin = sqlx::PgPool::connect(&url).await.unwrap();
    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    sqlx::query(&drop).execute(&admin).await.unwrap();
    let create = format!("CREATE DATABASE {name}");
    sqlx::query(&create).execute(&admin).await.unwrap();
    let base = url.rsplit_once('/').map_or(url.as_str(), |(base, _)| base);
    let url = format!("{base}/{name}");
    Arc::new(PostgresStore::connect(&url).await.unwrap())
}
