//! Tandem's server: GraphQL over HTTP for a "1 gezin, 1 plan" youth-care network.
//!
//! A tour:
//! - [`startup`]: `Application::build(settings)`, the one seam `main` and the tests share.
//! - `app` (private): the transports and the one request pipeline every
//!   GraphQL request goes through, over HTTP (`/graphql`) or a WebSocket
//!   (`/graphql/ws`); `/`, `/healthz`, `/readyz`, `/metrics`.
//! - [`guard`]: the document's raw text and its budget, before validation;
//!   [`login`]: login attempts counted, throttled per client address, pruned.
//! - [`config`]: settings from the environment. [`db`]: the SQLite/PostgreSQL pool,
//!   migrations, IMMEDIATE write transactions on SQLite.
//! - [`schema`]: the GraphQL schema as a library (`build_schema`), merged from one part per
//!   domain module: [`accounts`], [`volunteers`], [`families`], [`services`], [`plans`],
//!   [`catalogue`], [`matches`].
//! - [`values`]: the contract's shared values and the parsing of their inputs;
//!   [`relay`]: global IDs, cursors, connections; [`loaders`]: DataLoaders (no N+1);
//!   [`store`]: keyset pages and version-checked updates; [`error`]: the one error enum.
//! - [`roster`]: every volunteer in memory (the match index and each volunteer's record),
//!   kept current after every write and across replicas through [`changes`].
//! - [`auth`]: who may read what (the access policy, enforced for every
//!   field in one place); [`privacy`]: the audit log and the right of access;
//!   [`erasure`]; [`users`]: user management.
//! - [`cli`]: the `tandem` command line; [`demo`]: the demo Brussels network.

mod accounts;
mod app;
mod auth;
mod catalogue;
mod core;
mod engine;
mod families;
mod follow_up;
mod matches;
mod plans;
mod privacy;
mod reporting;
mod services;
mod sync;
mod tools;
mod volunteers;

pub use accounts::{NewUser, create_user};
pub use app::{cli, schema::export_sdl, startup::Application};
pub use auth::{Access, Role, policy};
pub use core::{
    config::{self, Settings},
    db,
    metrics::Metrics,
    relay::{global_id, parse_global_id},
};
pub use privacy::AuditWriter;
