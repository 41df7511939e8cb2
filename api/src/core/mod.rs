//! What every layer above stands on, and which knows no domain: the error
//! type, settings, the database, global IDs and connections, paging, shared
//! values, the locale and its message catalogues, metrics, DataLoader helpers,
//! the families a request read (for the audit) and the application state.

pub mod config;
pub mod db;
pub mod error;
pub mod loaders;
pub mod locale;
pub mod metrics;
pub mod paging;
pub mod reads;
pub mod relay;
pub mod state;
pub mod values;
