//! The `tandem` command line.

use std::io::Read;

use clap::{Parser, Subcommand, ValueEnum};

use crate::{
    accounts::{NewUser, create_user},
    app::startup::Application,
    auth::Role,
    core::config::Settings,
    core::db,
    core::relay::parse_global_id,
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
    },
    /// Erase every family whose plan has been CLOSED for more than N days.
    Retention {
        /// Days a plan must have been closed.
        #[arg(long)]
        closed_for_days: u32,
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
        /// Role.
        #[arg(long, value_enum)]
        role: CliRole,
        /// For VOLUNTEER accounts: the volunteer's ID (global ID or UUID).
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

#[derive(Clone, Copy, Debug, ValueEnum)]
enum CliRole {
    Admin,
    Coordinator,
    FollowUp,
    Volunteer,
}

impl From<CliRole> for Role {
    fn from(role: CliRole) -> Self {
        match role {
            CliRole::Admin => Role::Admin,
            CliRole::Coordinator => Role::Coordinator,
            CliRole::FollowUp => Role::FollowUp,
            CliRole::Volunteer => Role::Volunteer,
        }
    }
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
pub async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut settings = Settings::from_env()?;
    match cli.command {
        Command::Serve { bind, demo } => {
            if let Some(bind) = bind {
                settings.bind = bind;
            }
            settings.demo = demo;
            let app = Application::build(settings).await?;
            let addr = app.local_addr()?;
            tracing::info!(%addr, "Tandem is listening");
            eprintln!("Tandem is listening on http://{addr} (GraphQL at /graphql)");
            if demo {
                eprintln!(
                    "Demo login: {} / {}",
                    crate::tools::demo::COORDINATOR_EMAIL,
                    crate::tools::demo::COORDINATOR_PASSWORD
                );
            }
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let (conn, _) = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            eprintln!("migrations applied");
        }
        Command::Seed { demo: _ } => {
            let (conn, _) = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            let state = crate::app::startup::assemble(conn, settings)
                .await
                .map_err(|e| anyhow::anyhow!(e.message()))?;
            let report = crate::tools::demo::seed(&state).await?;
            eprintln!("{report}");
            eprintln!(
                "Demo login: {} / {}",
                crate::tools::demo::COORDINATOR_EMAIL,
                crate::tools::demo::COORDINATOR_PASSWORD
            );
        }
        Command::Generate {
            volunteers,
            families,
            seed,
        } => {
            let (conn, _) = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            let state = crate::app::startup::assemble(conn, settings)
                .await
                .map_err(|e| anyhow::anyhow!(e.message()))?;
            let scale = crate::tools::generate::Scale {
                volunteers,
                families,
                seed,
            };
            let report = crate::tools::generate::generate(&state, scale).await?;
            println!("{report}");
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
        } => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            let volunteer_id = volunteer_id
                .map(|raw| {
                    parse_global_id(&raw)
                        .filter(|(kind, _)| kind == "Volunteer")
                        .map(|(_, key)| key)
                        .or_else(|| uuid::Uuid::parse_str(&raw).ok())
                        .ok_or_else(|| {
                            anyhow::anyhow!("--volunteer-id {raw:?} is not a volunteer ID")
                        })
                })
                .transpose()?;
            let (conn, _) = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            let user = create_user(
                &conn,
                NewUser {
                    name,
                    email,
                    role: role.into(),
                    password,
                    volunteer_id,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!(e.message()))?;
            eprintln!("created user {} ({})", user.email, user.id.as_str());
        }
        Command::ExportSchema => {
            print!("{}", crate::app::schema::export_sdl());
        }
        Command::WhoSeesWhat => {
            print!("{}", crate::auth::policy::who_sees_what());
        }
        Command::Import {
            kind,
            file,
            dry_run,
        } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let (conn, _) = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            let state = crate::app::startup::assemble(conn, settings)
                .await
                .map_err(|e| anyhow::anyhow!(e.message()))?;
            let outcome = match kind {
                ImportKind::Volunteers => {
                    crate::tools::import::import_volunteers(&state, &text, dry_run).await?
                }
                ImportKind::Families => {
                    crate::tools::import::import_families(&state, &text, dry_run).await?
                }
            };
            match outcome {
                crate::tools::import::Outcome::Refused(errors) => {
                    for e in &errors {
                        eprintln!("line {}: {}", e.line, e.reason);
                    }
                    anyhow::bail!(
                        "{} bad rows in {}: nothing was imported",
                        errors.len(),
                        file.display()
                    );
                }
                crate::tools::import::Outcome::Imported {
                    rows,
                    written,
                    seconds,
                } => {
                    if written {
                        println!(
                            "imported {rows} rows from {} in {seconds:.2} s",
                            file.display()
                        );
                    } else {
                        println!("{rows} rows are valid; nothing was written (dry run)");
                    }
                }
            }
        }
        Command::Retention { closed_for_days } => {
            let (conn, _) = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            let receipts = crate::privacy::erasure::apply_retention(&conn, closed_for_days)
                .await
                .map_err(|e| anyhow::anyhow!(e.message()))?;
            for r in &receipts {
                println!(
                    "erased {} ({} rows anonymised)",
                    r.family_reference, r.rows_anonymised
                );
            }
            println!(
                "retention: {} families whose plan was closed more than {closed_for_days} days ago were erased",
                receipts.len()
            );
        }
    }
    Ok(())
}
