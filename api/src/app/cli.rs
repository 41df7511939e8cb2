//! The `tandem` command line.

use std::io::Read;

use clap::{Parser, Subcommand, ValueEnum};

use crate::{
    accounts::{NewUser, create_user},
    app::startup::Application,
    auth::Role,
    core::config::Settings,
    core::db,
    core::locale::tr,
    core::relay::{NodeKind, parse_global_id},
    core::values::graphql_value,
};

/// Tandem: one family, one plan; volunteers matched to families in crisis.
#[derive(Debug, Parser)]
#[command(name = "tandem", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the server (migrations are applied first).
    Serve {
        /// Address to listen on (overrides TANDEM_BIND).
        #[arg(long)]
        bind: Option<std::net::SocketAddr>,
        /// Seed the demo network (idempotent) and print its login.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Load data.
    Seed {
        /// The demo Brussels network (idempotent).
        #[arg(long, required = true)]
        demo: bool,
    },
    /// Load a seeded synthetic network at Flemish scale into an empty database
    /// (for benchmarks and load tests; see `api/src/generate.rs`).
    Generate {
        /// Volunteers.
        #[arg(long, default_value_t = 100_000)]
        volunteers: usize,
        /// Families, each with a plan; a quarter of those who consented get a volunteer.
        #[arg(long, default_value_t = 20_000)]
        families: usize,
        /// Seed: the same seed gives the same network.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Manage user accounts.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Print the GraphQL schema (SDL), as checked in at api/schema.graphql.
    ExportSchema,
    /// Print the access policy as the README's "Who sees what" table.
    WhoSeesWhat,
    /// Import volunteers or families from a CSV file (see `api/src/import.rs` or the README for the header).
    Import {
        /// What the file holds.
        #[arg(value_enum)]
        kind: ImportKind,
        /// The CSV file.
        file: std::path::PathBuf,
        /// Check every row and report, but write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import the rows that are not in Tandem yet (nor earlier in the
        /// file), listing the others, instead of refusing the file.
        #[arg(long)]
        skip_existing: bool,
    },
    /// Erase every family whose plan has been CLOSED for more than N days.
    Retention {
        /// Days a plan must have been closed.
        #[arg(long)]
        closed_for_days: u32,
        /// List the families that would be erased, and erase nothing
        /// (erasure cannot be undone).
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
enum UsersCommand {
    /// Create a user; the password is read from standard input.
    Add {
        /// Login email.
        #[arg(long)]
        email: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// Role, as in the schema: ADMIN, COORDINATOR, FOLLOW_UP or VOLUNTEER
        /// (any case, `_` or `-`).
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// For VOLUNTEER accounts only, and required for them: the volunteer's
        /// ID (global ID or UUID). One account per volunteer.
        #[arg(long)]
        volunteer_id: Option<String>,
        /// Read the password from standard input (required: never on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ImportKind {
    Volunteers,
    Families,
}

/// A role as the schema and the README name it, in any case, with `_` or
/// `-`: `FOLLOW_UP`, `follow-up`, `Volunteer` (and `followup`).
fn parse_role(raw: &str) -> Result<Role, String> {
    let name = raw.trim().to_uppercase().replace('-', "_");
    let name = match name.as_str() {
        "FOLLOWUP" => Role::FollowUp.to_string(),
        _ => name,
    };
    graphql_value::<Role>(&name).ok_or_else(|| tr!("cli-unknown-role", input = format!("{raw:?}")))
}

/// Sets up logging (JSON when `TANDEM_LOG_FORMAT=json`) from `RUST_LOG`.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("TANDEM_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Runs the command line.
/// What it says to people is in the server's default locale
/// (`TANDEM_DEFAULT_LOCALE`).
pub async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::from_env()?;
    crate::core::locale::scope(settings.default_locale, command(cli.command, settings)).await
}

async fn command(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve { bind, demo } => serve(settings, bind, demo).await,
        Command::Migrate => {
            open(&settings).await?;
            eprintln!("{}", tr!("cli-migrations-applied"));
            Ok(())
        }
        Command::Seed { demo: _ } => {
            let report = crate::tools::demo::seed(&state(settings).await?).await?;
            eprintln!("{report}");
            eprintln!("{}", demo_login());
            Ok(())
        }
        Command::Generate {
            volunteers,
            families,
            seed,
        } => {
            let scale = crate::tools::generate::Scale {
                volunteers,
                families,
                seed,
            };
            let report = crate::tools::generate::generate(&state(settings).await?, scale).await?;
            println!("{report}");
            Ok(())
        }
        Command::Users {
            command:
                UsersCommand::Add {
                    email,
                    name,
                    role,
                    volunteer_id,
                    password_stdin: _,
                },
        } => add_user(settings, email, name, role, volunteer_id).await,
        Command::ExportSchema => {
            print!("{}", crate::app::schema::export_sdl());
            Ok(())
        }
        Command::WhoSeesWhat => {
            print!("{}", crate::auth::policy::who_sees_what());
            Ok(())
        }
        Command::Import {
            kind,
            file,
            dry_run,
            skip_existing,
        } => {
            let options = crate::tools::import::Options {
                dry_run,
                skip_existing,
            };
            import(settings, kind, &file, options).await
        }
        Command::Retention {
            closed_for_days,
            dry_run,
        } => retention(settings, closed_for_days, dry_run).await,
    }
}

/// Opens the database and applies pending migrations. A database that
/// cannot be reached is reported with its address (password hidden), the
/// database's own words and what to do.
async fn open(settings: &Settings) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let (conn, _) = db::connect(settings)
        .await
        .map_err(|e| connection_error(settings, &e))?;
    db::migrate(&conn).await?;
    Ok(conn)
}

/// The application state over the migrated database.
async fn state(settings: Settings) -> anyhow::Result<crate::core::state::AppState> {
    let conn = open(&settings).await?;
    crate::app::startup::assemble(conn, settings)
        .await
        .map_err(anyhow::Error::from)
}

/// `DATABASE_URL` without its password.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

fn connection_error(settings: &Settings, e: &sea_orm::DbErr) -> anyhow::Error {
    use sea_orm::{DbErr, RuntimeErr, sqlx};
    let cause = match e {
        DbErr::Conn(RuntimeErr::SqlxError(e)) => match e.as_ref() {
            sqlx::Error::Database(d) => d.message().to_owned(),
            other => other.to_string(),
        },
        other => other.to_string(),
    };
    let hint = if cause.contains("does not exist") && settings.is_postgres() {
        tr!("cli-hint-create-database")
    } else if settings.is_postgres() {
        tr!("cli-hint-postgres")
    } else {
        tr!("cli-hint-sqlite")
    };
    anyhow::anyhow!(tr!(
        "cli-cannot-open-database",
        url = redacted(&settings.database_url),
        cause = cause,
        hint = hint,
    ))
}

async fn serve(
    mut settings: Settings,
    bind: Option<std::net::SocketAddr>,
    demo: bool,
) -> anyhow::Result<()> {
    if let Some(bind) = bind {
        settings.bind = bind;
    }
    settings.demo = demo;
    let app = Application::build(settings).await?;
    let addr = app.local_addr()?;
    tracing::info!(%addr, "Tandem is listening");
    eprintln!("{}", tr!("cli-listening", address = addr.to_string()));
    if demo {
        eprintln!("{}", demo_login());
    }
    app.run_until_stopped().await?;
    Ok(())
}

/// The demo network's coordinator login, as `seed --demo` and `serve --demo` print it.
fn demo_login() -> String {
    tr!(
        "cli-demo-login",
        email = crate::tools::demo::COORDINATOR_EMAIL,
        password = crate::tools::demo::COORDINATOR_PASSWORD,
    )
}

async fn add_user(
    settings: Settings,
    email: String,
    name: String,
    role: Role,
    volunteer_id: Option<String>,
) -> anyhow::Result<()> {
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    let volunteer_id = volunteer_id
        .map(|raw| {
            parse_global_id(&raw)
                .filter(|(kind, _)| kind == NodeKind::Volunteer.name())
                .map(|(_, key)| key)
                .or_else(|| uuid::Uuid::parse_str(&raw).ok())
                .ok_or_else(|| {
                    anyhow::anyhow!(tr!("cli-not-a-volunteer-id", input = format!("{raw:?}")))
                })
        })
        .transpose()?;
    let conn = open(&settings).await?;
    let new = NewUser {
        name,
        email,
        role,
        password,
        volunteer_id,
    };
    let user = create_user(&conn, new).await.map_err(|e| match &e {
        crate::core::error::ApiError::BadInput { field, .. }
        | crate::core::error::ApiError::ConflictAt { field, .. }
        | crate::core::error::ApiError::NotFound {
            field: Some(field), ..
        } if field == "input.volunteerId" => anyhow::anyhow!("--volunteer-id: {}", e.message()),
        _ => anyhow::Error::from(e),
    })?;
    eprintln!(
        "{}",
        tr!(
            "cli-created-user",
            email = &user.email,
            id = user.id.as_str()
        )
    );
    Ok(())
}

async fn import(
    settings: Settings,
    kind: ImportKind,
    file: &std::path::Path,
    options: crate::tools::import::Options,
) -> anyhow::Result<()> {
    use crate::tools::import::{Outcome, import_families, import_volunteers};
    let text = std::fs::read_to_string(file).map_err(|e| {
        let file = file.display().to_string();
        anyhow::anyhow!(tr!("cli-cannot-read", file = file, cause = e.to_string()))
    })?;
    let state = state(settings).await?;
    let outcome = match kind {
        ImportKind::Volunteers => import_volunteers(&state, &text, options).await?,
        ImportKind::Families => import_families(&state, &text, options).await?,
    };
    match outcome {
        Outcome::Refused(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            let hint = if errors.iter().any(|e| e.duplicate) {
                tr!("cli-hint-skip-existing")
            } else {
                String::new()
            };
            anyhow::bail!(tr!(
                "cli-bad-rows",
                count = errors.len(),
                file = file.display().to_string(),
                hint = hint,
            ));
        }
        Outcome::Imported {
            rows,
            skipped,
            defaults,
            written,
            seconds,
        } => {
            for d in &defaults {
                println!("{}", tr!("cli-default", item = d.to_string()));
            }
            for d in &skipped {
                println!("{}", tr!("cli-skipped", item = d.to_string()));
            }
            if written {
                let imported = tr!(
                    "cli-imported",
                    rows = rows,
                    file = file.display().to_string(),
                    seconds = crate::core::locale::decimal(crate::core::locale::current(), seconds),
                    skipped = skipped.len(),
                );
                println!("{imported}");
            } else {
                println!("{}", tr!("cli-dry-run", rows = rows));
            }
        }
    }
    Ok(())
}

async fn retention(settings: Settings, closed_for_days: u32, dry_run: bool) -> anyhow::Result<()> {
    if dry_run {
        let conn = open(&settings).await?;
        let candidates = crate::privacy::erasure::retention_candidates(&conn, closed_for_days)
            .await
            .map_err(anyhow::Error::from)?;
        for (reference, closed_on) in &candidates {
            let closed_on = closed_on.to_string();
            println!(
                "{}",
                tr!(
                    "cli-would-erase",
                    reference = reference,
                    closed_on = closed_on
                )
            );
        }
        let count = candidates.len();
        println!(
            "{}",
            tr!(
                "cli-retention-dry-run",
                count = count,
                days = closed_for_days
            )
        );
        return Ok(());
    }
    let state = state(settings).await?;
    let receipts = crate::privacy::erasure::apply_retention(&state, closed_for_days)
        .await
        .map_err(anyhow::Error::from)?;
    for r in &receipts {
        let erased = tr!(
            "cli-erased",
            reference = &r.family_reference,
            rows = r.rows_anonymised,
        );
        println!("{erased}");
    }
    let count = receipts.len();
    println!(
        "{}",
        tr!("cli-retention", count = count, days = closed_for_days)
    );
    Ok(())
}
