//! Multi-row statements (`INSERT`s, upserts, version-checked `UPDATE`s): one
//! statement for many rows of a table, from a small set of prepared shapes so
//! the databases' statement caches stay warm.

use std::sync::OnceLock;

use super::{Placeholders, Session, Value};
use crate::overlap::both;
use crate::store::StoreError;

/// The row counts a statement is prepared for, largest first: a batch of `n`
/// rows takes at most `n / 64 + 3 + 3 + 3` statements.
const SHAPES: [usize; 4] = [64, 16, 4, 1];

/// A statement around a `VALUES` list (`INSERT INTO table (columns) VALUES `
/// and what follows the rows, if anything) with its column count, and its
/// statements for [`SHAPES`] rows in each placeholder style, built once.
pub(crate) struct RowStatement {
    prefix: &'static str,
    columns: usize,
    suffix: &'static str,
    numbered: OnceLock<[String; SHAPES.len()]>,
    anonymous: OnceLock<[String; SHAPES.len()]>,
}

impl RowStatement {
    /// `prefix` ends with `VALUES `; each row has `columns` values.
    pub(crate) const fn new(prefix: &'static str, columns: usize) -> RowStatement {
        RowStatement::around(prefix, columns, "")
    }

    /// `prefix` ends with `VALUES `, `suffix` follows the rows (an upsert's
    /// `ON CONFLICT …`, the rest of a statement whose rows are a `WITH`).
    pub(crate) const fn around(
        prefix: &'static str,
        columns: usize,
        suffix: &'static str,
    ) -> RowStatement {
        RowStatement {
            prefix,
            columns,
            suffix,
            numbered: OnceLock::new(),
            anonymous: OnceLock::new(),
        }
    }

    /// The statement for `SHAPES[shape]` rows.
    fn statement(&'static self, style: Placeholders, shape: usize) -> &'static str {
        let cell = match style {
            Placeholders::Numbered => &self.numbered,
            Placeholders::Anonymous => &self.anonymous,
        };
        let statements = cell.get_or_init(|| SHAPES.map(|rows| self.build(style, rows)));
        statements.get(shape).map_or("", String::as_str)
    }

    fn build(&self, style: Placeholders, rows: usize) -> String {
        let placeholder = |n: usize| match style {
            Placeholders::Numbered => format!("${n}"),
            Placeholders::Anonymous => "?".to_owned(),
        };
        let row = |r: usize| {
            let first = r * self.columns + 1;
            let values: Vec<String> = (first..first + self.columns).map(placeholder).collect();
            format!("({})", values.join(", "))
        };
        let rows: Vec<String> = (0..rows).map(row).collect();
        format!("{}{}{}", self.prefix, rows.join(", "), self.suffix)
    }
}

/// Why [`write_rows`] stopped.
pub(crate) enum RowsError {
    /// A row could not be encoded.
    Encode(StoreError),
    /// The database refused a statement.
    Db(sqlx::Error),
}

impl RowsError {
    /// The error, a refusal turned into `refused`'s answer.
    pub(crate) fn or_refused<E: From<StoreError>>(
        self,
        refused: impl FnOnce(sqlx::Error) -> E,
    ) -> E {
        match self {
            RowsError::Encode(error) => error.into(),
            RowsError::Db(error) => refused(error),
        }
    }
}

/// Runs `insert` with a row of its columns for each of `items`, in order, in
/// as few statements as the shapes allow; how many rows the statements
/// changed. Each statement's rows are encoded while the database runs the
/// one before, so encoding documents costs the writer no waiting.
pub(crate) async fn write_rows<S: Session, T: Sync>(
    session: &mut S,
    style: Placeholders,
    insert: &'static RowStatement,
    items: &[T],
    row: impl Fn(&T) -> Result<Vec<Value>, StoreError> + Sync,
) -> Result<u64, RowsError> {
    let encode = |chunk: &[T]| -> Result<Vec<Value>, RowsError> {
        let mut args = Vec::with_capacity(chunk.len() * insert.columns);
        for item in chunk {
            args.extend(row(item).map_err(RowsError::Encode)?);
        }
        Ok(args)
    };
    let mut statements = statements(items.len()).peekable();
    let mut rest = items;
    let mut args = match statements.peek() {
        Some(&(_, size)) => encode(rest.get(..size).unwrap_or_default())?,
        None => return Ok(0),
    };
    let mut changed = 0;
    while let Some((shape, size)) = statements.next() {
        rest = rest.get(size..).unwrap_or_default();
        let next_size = statements.peek().map_or(0, |&(_, size)| size);
        let next = rest.get(..next_size).unwrap_or_default();
        let sql = insert.statement(style, shape);
        let (done, encoded) = both(session.execute(sql, args), async { encode(next) }).await;
        changed += done.map_err(RowsError::Db)?;
        args = encoded?;
    }
    Ok(changed)
}

/// Runs `query` with a row of its columns for each of `keys`, in as few
/// statements as the shapes allow; the first column of every row returned.
pub(crate) async fn read_rows<S: Session, T>(
    session: &mut S,
    style: Placeholders,
    query: &'static RowStatement,
    keys: &[T],
    row: impl Fn(&T) -> Vec<Value>,
) -> Result<Vec<String>, sqlx::Error> {
    let mut found = Vec::with_capacity(keys.len());
    let mut rest = keys;
    for (shape, size) in statements(keys.len()) {
        let (chunk, after) = rest.split_at(size.min(rest.len()));
        rest = after;
        let args = chunk.iter().flat_map(&row).collect();
        found.extend(session.texts(query.statement(style, shape), args).await?);
    }
    Ok(found)
}

/// The statements for `rows` rows, largest first: each shape's index and
/// row count.
fn statements(rows: usize) -> impl Iterator<Item = (usize, usize)> {
    let mut left = rows;
    SHAPES
        .into_iter()
        .enumerate()
        .flat_map(move |(shape, size)| {
            let times = left / size;
            left -= times * size;
            std::iter::repeat_n((shape, size), times)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    static PAIRS: RowStatement = RowStatement::new("INSERT INTO t (a, b) VALUES ", 2);

    #[test]
    fn a_shape_numbers_its_placeholders_row_by_row() {
        let numbered = |shape| PAIRS.statement(Placeholders::Numbered, shape);
        assert_eq!(numbered(3), "INSERT INTO t (a, b) VALUES ($1, $2)");
        assert_eq!(
            numbered(2),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), ($5, $6), ($7, $8)"
        );
    }

    #[test]
    fn rows_go_in_the_largest_shapes_first_and_every_row_once() {
        let sizes = |rows| statements(rows).map(|(_, size)| size).collect::<Vec<_>>();
        assert_eq!(sizes(0), Vec::<usize>::new());
        assert_eq!(sizes(150), [64, 64, 16, 4, 1, 1]);
        for rows in 0..300 {
            assert_eq!(sizes(rows).iter().sum::<usize>(), rows);
        }
        assert!(statements(150).all(|(shape, size)| SHAPES.get(shape) == Some(&size)));
    }

    #[test]
    fn a_statement_around_its_rows_keeps_what_follows_them() {
        static UPSERT: RowStatement = RowStatement::around(
            "INSERT INTO t (a) VALUES ",
            1,
            " ON CONFLICT (a) DO NOTHING",
        );
        assert_eq!(
            UPSERT.statement(Placeholders::Numbered, 2),
            "INSERT INTO t (a) VALUES ($1), ($2), ($3), ($4) ON CONFLICT (a) DO NOTHING"
        );
    }

    #[test]
    fn an_anonymous_shape_has_one_question_mark_per_value() {
        assert_eq!(
            PAIRS.statement(Placeholders::Anonymous, 3),
            "INSERT INTO t (a, b) VALUES (?, ?)"
        );
    }
}
