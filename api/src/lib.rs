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

pub mod access;
pub mod accounts;
mod app;
pub mod auth;
pub mod catalogue;
pub mod changes;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod erasure;
pub mod error;
pub mod families;
pub mod follow_up;
pub mod generate;
pub mod guard;
pub mod import;
pub mod loaders;
pub mod locale;
pub mod login;
pub mod matches;
pub mod metrics;
pub mod plans;
pub mod privacy;
mod reasons;
pub mod relay;
pub mod reporting;
pub mod roster;
pub mod schema;
pub mod services;
pub mod startup;
pub mod state;
pub mod store;
pub mod subscriptions;
pub mod users;
pub mod values;
pub mod volunteers;

pub use config::Settings;
pub use schema::export_sdl;
pub use startup::Application;
