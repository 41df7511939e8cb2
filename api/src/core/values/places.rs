//! Places: a Brussels municipality's names, a [`Location`] as the viewer
//! may see it, and a location input resolved against the gazetteer.

use async_graphql::InputObject;
use matching::Coordinates;

use crate::core::{
    error::{ApiError, ApiResult},
    locale::tr,
};

/// The Brussels postal codes with their municipality's French and Dutch
/// names (`api/data/brussels-names.csv`).
static BRUSSELS_NAMES: std::sync::LazyLock<std::collections::HashMap<String, (String, String)>> =
    std::sync::LazyLock::new(|| {
        let mut reader =
            csv::Reader::from_reader(include_str!("../../../data/brussels-names.csv").as_bytes());
        reader
            .records()
            .filter_map(Result::ok)
            .filter_map(|row| {
                Some((
                    row.get(0)?.to_owned(),
                    (row.get(1)?.to_owned(), row.get(2)?.to_owned()),
                ))
            })
            .collect()
    });

/// The name of the Brussels municipality of `postal_code` in `locale`
/// (French for English, as English-speaking Brussels says it); `None`
/// outside Brussels.
pub fn brussels_name(
    postal_code: &str,
    locale: crate::core::locale::Locale,
) -> Option<&'static str> {
    let (fr, nl) = BRUSSELS_NAMES.get(postal_code.trim())?;
    Some(match locale {
        crate::core::locale::Locale::Nl => nl,
        crate::core::locale::Locale::Fr | crate::core::locale::Locale::En => fr,
    })
}

/// Whose home a [`Location`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    /// A family's.
    Family(uuid::Uuid),
    /// A volunteer's.
    Volunteer(uuid::Uuid),
}

/// Where someone lives, as precisely as the viewer may see.
#[derive(Clone, Debug)]
pub struct Location {
    /// Belgian postal code.
    pub postal_code: Option<String>,
    /// Municipality of the postal code.
    pub municipality: Option<String>,
    /// WGS 84.
    pub latitude: Option<f64>,
    /// WGS 84.
    pub longitude: Option<f64>,
    /// Whose home it is (the access policy reads a family's home differently).
    pub owner: Owner,
}

/// Give a Belgian postal code, or coordinates, or both.
#[derive(Clone, Debug, InputObject)]
pub struct LocationInput {
    /// Belgian postal code, e.g. "1080".
    pub postal_code: Option<String>,
    /// WGS 84.
    pub latitude: Option<f64>,
    /// WGS 84.
    pub longitude: Option<f64>,
}

/// A location input resolved against the gazetteer.
#[derive(Clone, Debug)]
pub struct ResolvedLocation {
    /// Postal code (given, or the nearest to the coordinates).
    pub postal_code: String,
    /// Its municipality.
    pub municipality: String,
    /// The coordinates given, or the postal code's centroid.
    pub coordinates: Coordinates,
}

/// Resolves a location: a postal code gives municipality and centroid;
/// coordinates must lie in Belgium and give the nearest postal code.
pub fn parse_location(input: &LocationInput, field: &str) -> ApiResult<ResolvedLocation> {
    let coordinates = match (input.latitude, input.longitude) {
        (Some(lat), Some(lon)) => {
            let c = Coordinates::new(lat, lon).map_err(|_| {
                ApiError::bad_input(
                    format!("{field}.latitude"),
                    tr!(
                        "error-not-coordinates",
                        latitude = lat.to_string(),
                        longitude = lon.to_string()
                    ),
                )
            })?;
            if !c.is_in_belgium() {
                return Err(ApiError::bad_input(
                    format!("{field}.latitude"),
                    tr!(
                        "error-outside-belgium",
                        latitude = lat.to_string(),
                        longitude = lon.to_string()
                    ),
                ));
            }
            Some(c)
        }
        (None, None) => None,
        (Some(_), None) => {
            return Err(ApiError::bad_input(
                format!("{field}.longitude"),
                tr!("error-longitude-alone"),
            ));
        }
        (None, Some(_)) => {
            return Err(ApiError::bad_input(
                format!("{field}.latitude"),
                tr!("error-latitude-alone"),
            ));
        }
    };
    match (&input.postal_code, coordinates) {
        (Some(code), coordinates) => {
            let place = matching::lookup_postal_code(code).ok_or_else(|| {
                ApiError::bad_input(
                    format!("{field}.postalCode"),
                    tr!(
                        "error-not-a-postal-code",
                        code = format!("{:?}", code.trim())
                    ),
                )
            })?;
            Ok(ResolvedLocation {
                postal_code: place.postal_code.to_owned(),
                municipality: place.municipality.to_owned(),
                coordinates: coordinates.unwrap_or(place.coordinates),
            })
        }
        (None, Some(coordinates)) => {
            let place = matching::nearest_place(&coordinates);
            Ok(ResolvedLocation {
                postal_code: place.postal_code.to_owned(),
                municipality: place.municipality.to_owned(),
                coordinates,
            })
        }
        (None, None) => Err(ApiError::bad_input(field, tr!("error-no-location"))),
    }
}
