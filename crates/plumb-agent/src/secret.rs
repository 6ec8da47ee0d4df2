//! [`Secret`]: a credential the agent holds (the install key, the device token) that never
//! prints itself.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A bearer credential. `Debug` shows only its prefix (`plumbd_***`) and there is no `Display`,
/// so it cannot end up in output, logs or error messages by accident.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The prefix names the kind of credential and is no secret; nothing after it is shown.
        let prefix = match self.0.find('_') {
            Some(end) if end < 10 => &self.0[..=end],
            _ => "",
        };
        write!(f, "Secret(\"{prefix}***\")")
    }
}

impl FromStr for Secret {
    type Err = Infallible;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(Self::new(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_the_prefix_and_hides_the_rest() {
        let token = Secret::new("plumbd_4fG7hJ2kL9mN3pQ8rS5tV1wX6yZ0aB2cDe3F4g");
        let printed = format!("{token:?}");
        assert_eq!(printed, "Secret(\"plumbd_***\")");
        assert!(!printed.contains("4fG7"));
    }

    #[test]
    fn debug_of_a_value_without_a_prefix_shows_nothing_of_it() {
        let printed = format!("{:?}", Secret::new("hunter2hunter2"));
        assert_eq!(printed, "Secret(\"***\")");
    }
}
