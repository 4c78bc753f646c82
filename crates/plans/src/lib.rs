//! # kechuang-plans — plan intelligence (no I/O, no network, no model)
//!
//! DOC_PLACEHOLDER

mod docx;
pub mod eval;
mod extract;
pub mod ledger;
pub mod lexicon;
pub mod numerals;
mod structure;

pub use docx::{document_xml_text, read_docx};
pub use extract::{Extracted, Kind, extract, to_json_lines};
pub use ledger::{TaskDraft, TaskSource, draft_ledger};

/// Errors of this crate (only `.docx` reading and gold parsing can fail; extraction cannot).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not a readable .docx (zip) file: {0}")]
    Docx(String),
    #[error("the .docx has no word/document.xml")]
    MissingDocumentXml,
    #[error("bad gold line: {0}")]
    Gold(String),
}
