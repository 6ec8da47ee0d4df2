//! `plumb db copy --from URL --to URL`: copies a whole installation between databases of
//! either backend, e.g. from the embedded SQLite file to PostgreSQL before going multi-node.
//!
//! Both databases are migrated first. The target is written in one transaction, so a failed
//! copy leaves it as it was; it must be empty unless `--force` (which replaces its contents in
//! the same transaction). Every table is then counted on both sides. No SQL here: the stores
//! read and write rows in the neutral form of `plumb_core::transfer`.

use anyhow::Context;
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use plumb_core::transfer::{TABLES, Transfer, row_key};
use plumb_server::database::open_store;
use plumb_server::startup::redact;

/// Rows read and written per statement.
const BATCH: u32 = 500;

/// `plumb db ...`
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy every table from one database to another (SQLite or PostgreSQL, either way).
    Copy(CopyArgs),
}

/// `plumb db copy`
#[derive(Debug, Clone, Args)]
pub struct CopyArgs {
    /// The database to read, e.g. sqlite://./plumb-data/plumb.db (stop plumb first).
    #[arg(long)]
    pub from: String,
    /// The database to write, e.g. postgres://plumb:PASSWORD@db:5432/plumb (must be empty).
    #[arg(long)]
    pub to: String,
    /// Replace whatever the target holds (deleted in the copy's transaction).
    #[arg(long, alias = "allow-non-empty")]
    pub force: bool,
}

/// Rows per table, in copy order.
pub type Counts = Vec<(&'static str, u64)>;

/// Runs `plumb db copy`.
pub async fn copy(args: &CopyArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.from != args.to,
        "--from and --to name the same database"
    );
    let source = open_store(&args.from)
        .await
        .context("the source database")?;
    let target = open_store(&args.to).await.context("the target database")?;
    let copied = copy_between(source.transfer(), target.transfer(), args.force).await;
    source.close().await;
    target.close().await;
    let counts = copied?;
    println!(
        "copied {} to {}; rows per table, counted in both:",
        redact(&args.from),
        redact(&args.to)
    );
    for (table, count) in &counts {
        println!("  {table:<16} {count}");
    }
    Ok(())
}

/// Copies every table and verifies the counts; returns them.
pub async fn copy_between(
    source: &dyn Transfer,
    target: &dyn Transfer,
    force: bool,
) -> anyhow::Result<Counts> {
    let expected = counts(source)
        .await
        .context("could not count the source's rows")?;
    let existing = counts(target)
        .await
        .context("could not count the target's rows")?;
    let occupied: Vec<String> = existing
        .iter()
        .filter(|(_, count)| *count > 0)
        .map(|(table, count)| format!("{count} in {table}"))
        .collect();
    anyhow::ensure!(
        force || occupied.is_empty(),
        "the target database is not empty ({} rows); pass --force to replace its contents",
        occupied.join(", ")
    );
    let total = expected.iter().map(|(_, count)| count).sum();
    // Draws on standard error, and only when it is a terminal.
    let progress = ProgressBar::new(total).with_style(
        ProgressStyle::with_template("{msg:16} [{bar:40}] {pos}/{len} rows ({eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let mut import = target.begin_import().await?;
    if force {
        import.clear().await?;
    }
    for table in TABLES {
        progress.set_message(table.name);
        let mut after = None;
        loop {
            let rows = source
                .export_rows(table, after.as_deref(), BATCH)
                .await
                .with_context(|| format!("could not read {}", table.name))?;
            let Some(last) = rows.last() else {
                break;
            };
            after = row_key(table, last);
            import
                .insert_rows(table, &rows)
                .await
                .with_context(|| format!("could not write {}", table.name))?;
            progress.inc(rows.len() as u64);
        }
    }
    import.commit().await.context("could not commit the copy")?;
    progress.finish_and_clear();
    let copied = counts(target)
        .await
        .context("could not count the copied rows")?;
    let differing: Vec<String> = expected
        .iter()
        .zip(&copied)
        .filter(|(source, target)| source.1 != target.1)
        .map(|((table, want), (_, got))| format!("{table}: {want} in the source, {got} copied"))
        .collect();
    anyhow::ensure!(
        differing.is_empty(),
        "row counts differ after the copy (was the source in use?): {}",
        differing.join("; ")
    );
    Ok(copied)
}

async fn counts(database: &dyn Transfer) -> anyhow::Result<Counts> {
    let mut counts = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        counts.push((table.name, database.count_rows(table).await?));
    }
    Ok(counts)
}
