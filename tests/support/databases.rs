//! Throwaway databases for the store tests: a SQLite file removed afterwards, and a
//! PostgreSQL database of its own per test, made through `DATABASE_URL`.
#![allow(
    dead_code,
    unused_imports,
    reason = "each test crate uses the part it needs"
)]

#[cfg(feature = "postgres")]
pub use self::postgres::TestDatabase;

#[path = "skip.rs"]
pub mod skip;
#[cfg(feature = "sqlite")]
pub use self::sqlite::TempFile;

#[cfg(feature = "sqlite")]
mod sqlite {
    use std::path::PathBuf;

    use uuid::Uuid;

    /// A database file in a directory of its own under the temporary one,
    /// removed with everything beside it (its WAL files, the example server's
    /// `media` directory) when dropped.
    pub struct TempFile(pub PathBuf);

    impl TempFile {
        pub fn new() -> TempFile {
            let dir = format!("msgcore-test-{}", Uuid::now_v7().simple());
            let dir = std::env::temp_dir().join(dir);
            std::fs::create_dir(&dir).expect("a fresh temporary directory");
            TempFile(dir.join("msgcore.db"))
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            if let Some(dir) = self.0.parent() {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

#[cfg(feature = "postgres")]
mod postgres {
    use std::str::FromStr;

    use msgcore::store::PostgresStore;
    use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
    use sqlx::{ConnectOptions, Connection, Executor};
    use uuid::Uuid;

    /// A database of its own for one test, made through the server in
    /// `DATABASE_URL` and dropped at the end (also when the test fails), so runs
    /// never see each other's data.
    pub struct TestDatabase {
        server: PgConnectOptions,
        name: String,
    }

    impl TestDatabase {
        /// `None` (and a note) when `DATABASE_URL` is not set.
        pub async fn create() -> Option<TestDatabase> {
            let Ok(url) = std::env::var("DATABASE_URL") else {
                super::skip::skipped(
                    "the PostgreSQL tests; set DATABASE_URL=postgres://user@host/db to run them",
                );
                return None;
            };
            let server = PgConnectOptions::from_str(&url).unwrap();
            Some(TestDatabase::create_as(server, "").await.unwrap())
        }

        /// A new database of its own with this one's data (`CREATE DATABASE
        /// … TEMPLATE`), for a bench iteration to change. PostgreSQL refuses
        /// while anyone is connected to this one: close its stores first
        /// (their sessions may take a moment to end, which is waited for).
        pub async fn copy(&self) -> TestDatabase {
            let template = format!(" TEMPLATE {}", self.name);
            for _ in 0..100 {
                match TestDatabase::create_as(self.server.clone(), &template).await {
                    Ok(copy) => return copy,
                    Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("55006") => {
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    }
                    Err(error) => panic!("copying {}: {error}", self.name),
                }
            }
            panic!("{} is still in use after 5 s", self.name)
        }

        /// Creates a database with a new name on `server`, `options` added
        /// to its `CREATE DATABASE`.
        async fn create_as(
            server: PgConnectOptions,
            options: &str,
        ) -> Result<TestDatabase, sqlx::Error> {
            let name = format!("msgcore_test_{}", Uuid::now_v7().simple());
            let mut conn = server.connect().await?;
            let created = conn
                .execute(format!("CREATE DATABASE {name}{options}").as_str())
                .await;
            conn.close().await?;
            created?;
            Ok(TestDatabase { server, name })
        }

        /// The database's URL, for a child process.
        pub fn url(&self) -> String {
            let server = std::env::var("DATABASE_URL").unwrap();
            let base = server
                .rsplit_once('/')
                .map_or(server.as_str(), |(base, _)| base);
            format!("{base}/{}", self.name)
        }

        pub fn options(&self) -> PgConnectOptions {
            self.server.clone().database(&self.name)
        }

        /// A store with a pool of its own: one replica.
        pub async fn replica(&self) -> PostgresStore {
            let pool = PgPoolOptions::new()
                .max_connections(4)
                .connect_with(self.options())
                .await
                .unwrap();
            PostgresStore::from_pool(pool).await.unwrap()
        }
    }

    impl Drop for TestDatabase {
        fn drop(&mut self) {
            let (server, name) = (self.server.clone(), self.name.clone());
            // Drop cannot await; a thread with its own runtime can.
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime.block_on(async move {
                    let mut conn = server.connect().await?;
                    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    conn.execute(drop.as_str()).await?;
                    conn.close().await?;
                    Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
                })
            })
            .join();
            if !matches!(dropped, Ok(Ok(()))) {
                eprintln!("could not drop the test database {}", self.name);
            }
        }
    }
}
