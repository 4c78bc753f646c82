//! Kechuang's domain: the pure types and invariants of a regional science-and-technology
//! innovation system (区域科技创新体系).
//!
//! Everything here is plain data plus validation. No I/O, no async, no SQL: the store parses
//! wire or database input into these types, and a value of a type here is known to be valid.
//!
//! - [`region`]: GB/T 2260 administrative divisions (行政区划) and the shipped region tree.
//! - [`credit_code`]: 统一社会信用代码 (GB 32100-2015) with its check character.
//! - [`organization`], [`enterprise_year`], [`platform`], [`person`]: the registries.
//! - [`scope`]: the data scope (数据权限) every store call requires.
//! - [`error`]: field-level validation errors with stable codes and Chinese messages.

pub mod attachment;
pub mod credit_code;
pub mod enterprise_year;
pub mod error;
#[macro_use]
pub mod labeled;
pub mod achievement;
pub mod award;
pub mod brokerage;
pub mod contract;
pub mod funds;
pub mod id_number;
pub mod matching;
pub mod money;
pub mod organization;
pub mod people;
pub mod person;
pub mod platform;
pub mod platform_life;
pub mod project;
pub mod region;
pub mod review;
pub mod scope;
pub mod search;
pub mod text;

pub use credit_code::CreditCode;
pub use error::{FieldError, Invalid};
pub use region::{RegionCode, RegionLevel, RegionTree};
pub use scope::DataScope;
