//! Multi-row `INSERT`s: one statement for many rows of a table, from a small set
//! of prepared shapes so the databases' statement caches stay warm.

use std::sync::OnceLock;

use super::{Placeholders, Session, Value};

/// The row counts a statement is prepared for, largest first: a batch of `n`
/// rows takes at most `n / 64 + 3 + 3 + 3` statements.
const SHAPES: [usize; 4] = [64, 16, 4, 1];

/// An `INSERT INTO table (columns) VALUES ` with its column count, and its
/// statements for [`SHAPES`] rows in each placeholder style, built once.
pub(crate) struct RowInsert {
    prefix: &'static str,
    columns: usize,
    numbered: OnceLock<[String; SHAPES.len()]>,
    anonymous: OnceLock<[String; SHAPES.len()]>,
}

impl RowInsert {
    /// `prefix` ends with `VALUES `; each row has `columns` values.
    pub(crate) const fn new(prefix: &'static str, columns: usize) -> RowInsert {
        RowInsert {
            prefix,
            columns,
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
        format!("{}{}", self.prefix, rows.join(", "))
    }
}

/// Inserts `rows` (each of `insert`'s column count) in as few statements as the
/// shapes allow, in order.
pub(crate) async fn insert_rows<S: Session>(
    session: &mut S,
    style: Placeholders,
    insert: &'static RowInsert,
    rows: Vec<Vec<Value>>,
) -> Result<(), sqlx::Error> {
    let mut rows = rows.into_iter();
    let mut left = rows.len();
    for (shape, size) in SHAPES.into_iter().enumerate() {
        while left >= size {
            let args: Vec<Value> = rows.by_ref().take(size).flatten().collect();
            session
                .execute(insert.statement(style, shape), args)
                .await?;
            left -= size;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    static PAIRS: RowInsert = RowInsert::new("INSERT INTO t (a, b) VALUES ", 2);

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
    fn an_anonymous_shape_has_one_question_mark_per_value() {
        assert_eq!(
            PAIRS.statement(Placeholders::Anonymous, 3),
            "INSERT INTO t (a, b) VALUES (?, ?)"
        );
    }
}
