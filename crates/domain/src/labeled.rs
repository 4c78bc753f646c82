//! A small macro for closed vocabularies that have a stable English wire value and an official
//! Chinese label. Parsing accepts either, so imports with Chinese cells work.

/// `labeled_enum!(Name, "field", "中文字段名", { Variant => ("wire", "中文"), ... })`
#[macro_export]
macro_rules! labeled_enum {
    ($(#[$m:meta])* $name:ident, $field:literal, $zh:literal, { $($(#[$vm:meta])* $v:ident => ($wire:literal, $label:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// Stable wire and database value.
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $wire),+ } }
            /// Official Chinese name.
            pub fn label(self) -> &'static str { match self { $($name::$v => $label),+ } }
            /// Accepts the wire value or the Chinese label.
            pub fn parse(s: &str) -> Result<Self, $crate::error::Invalid> {
                let t = s.trim();
                $(if t == $wire || t == $label { return Ok($name::$v); })+
                let allowed: Vec<&str> = vec![$($label),+];
                Err($crate::error::Invalid::one(
                    $field,
                    concat!($field, ".unknown"),
                    format!("{}“{}”无效，可选值：{}", $zh, t, allowed.join("、")),
                ))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(self.as_str()) }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}
