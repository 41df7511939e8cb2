//! Belgian postal codes: validated [`Coordinates`], great-circle distances, and a
//! gazetteer so people type a postal code instead of coordinates.
//!
//! The gazetteer is bpost's list geocoded to locality centroids
//! (`data/belgian-postal-codes.csv`, embedded at compile time). Several localities
//! can share a postal code; [`lookup_postal_code`] answers with the main municipality,
//! from a curated table for Brussels-Capital, Walloon Brabant and Flemish Brabant, and
//! from the first locality listed elsewhere.

use std::fmt;
use std::sync::OnceLock;

/// Mean Earth radius (IUGG), in kilometres.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A point on Earth in WGS 84 degrees, guaranteed finite and in range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    latitude: f64,
    longitude: f64,
}

/// Latitude or longitude out of range or not a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InvalidCoordinates {
    /// The latitude given.
    pub latitude: f64,
    /// The longitude given.
    pub longitude: f64,
}

impl fmt::Display for InvalidCoordinates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "({}, {}) are not coordinates: latitude must be between -90 and 90 and longitude \
             between -180 and 180 degrees",
            self.latitude, self.longitude
        )
    }
}

impl std::error::Error for InvalidCoordinates {}

impl Coordinates {
    /// Checks that latitude is in [-90, 90] and longitude in [-180, 180] (degrees).
    pub fn new(latitude: f64, longitude: f64) -> Result<Coordinates, InvalidCoordinates> {
        if (-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude) {
            Ok(Coordinates {
                latitude,
                longitude,
            })
        } else {
            Err(InvalidCoordinates {
                latitude,
                longitude,
            })
        }
    }

    /// Latitude in degrees, as given.
    pub fn latitude(&self) -> f64 {
        self.latitude
    }

    /// Longitude in degrees, as given.
    pub fn longitude(&self) -> f64 {
        self.longitude
    }

    /// Great-circle distance in km on a sphere of radius [`EARTH_RADIUS_KM`].
    ///
    /// This is the haversine distance: `2R asin(sqrt(hav))` where `sqrt(hav)` is computed
    /// as half the chord between the two unit vectors (the same quantity, and the form
    /// the match index can evaluate from cached vectors). Symmetric, exact to well under
    /// a metre at Belgian distances.
    pub fn distance_km(&self, other: &Coordinates) -> f64 {
        chord_to_km(chord(&self.unit_vector(), &other.unit_vector()))
    }

    /// True inside Belgium's bounding box: latitude 49.49..=51.51, longitude 2.54..=6.41.
    /// (A box, so a little of France, the Netherlands, Germany and Luxembourg passes.)
    pub fn is_in_belgium(&self) -> bool {
        (49.49..=51.51).contains(&self.latitude) && (2.54..=6.41).contains(&self.longitude)
    }

    /// (0, 0): a placeholder for vacant slots of the match index.
    pub(crate) fn default_point() -> Coordinates {
        Coordinates {
            latitude: 0.0,
            longitude: 0.0,
        }
    }

    /// The point on the unit sphere (x towards 0°E on the equator, z to the North Pole).
    pub(crate) fn unit_vector(&self) -> [f64; 3] {
        let (sin_lat, cos_lat) = self.latitude.to_radians().sin_cos();
        let (sin_lon, cos_lon) = self.longitude.to_radians().sin_cos();
        [cos_lat * cos_lon, cos_lat * sin_lon, sin_lat]
    }
}

/// Straight-line distance between two unit vectors.
pub(crate) fn chord(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let dx = a[0] - b[0];
    let dy = a[1] - b[1];
    let dz = a[2] - b[2];
    (dx * dx + dy * dy + dz * dz).sqrt()
}

/// Great-circle km for a chord between unit vectors.
pub(crate) fn chord_to_km(chord: f64) -> f64 {
    2.0 * EARTH_RADIUS_KM * (chord / 2.0).min(1.0).asin()
}

/// The chord between unit vectors for a great-circle distance (for the R-tree):
/// 2 for anything at or beyond the antipode.
pub(crate) fn km_to_chord(km: f64) -> f64 {
    let angle = (km / EARTH_RADIUS_KM).min(std::f64::consts::PI);
    2.0 * (angle / 2.0).sin()
}

/// A postal code with its main municipality and centroid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place {
    /// Four digits, e.g. `"1930"`.
    pub postal_code: &'static str,
    /// Main municipality, as bpost spells it (French in Brussels), e.g. `"Zaventem"`.
    pub municipality: &'static str,
    /// Centroid of the main municipality's locality.
    pub coordinates: Coordinates,
}

static DATA: &str = include_str!("../data/belgian-postal-codes.csv");

/// Postal codes shared by several localities, with the municipality that owns them and
/// the locality whose centroid to use (the municipality itself when bpost lists it).
/// Brussels-Capital has no shared codes.
static MAIN_MUNICIPALITIES: &[(&str, &str, &str)] = &[
    // Walloon Brabant
    ("1300", "Wavre", "Wavre"),
    ("1315", "Incourt", "Incourt"),
    ("1320", "Beauvechain", "Beauvechain"),
    ("1325", "Chaumont-Gistoux", "Chaumont-Gistoux"),
    (
        "1340",
        "Ottignies-Louvain-La-Neuve",
        "Ottignies-Louvain-La-Neuve",
    ),
    ("1350", "Orp-Jauche", "Orp-Jauche"),
    ("1357", "Hélécine", "Hélécine"),
    ("1360", "Perwez", "Perwez"),
    ("1367", "Ramillies", "Ramillies"),
    ("1370", "Jodoigne", "Jodoigne"),
    ("1380", "Lasne", "Lasne"),
    ("1390", "Grez-Doiceau", "Grez-Doiceau"),
    ("1400", "Nivelles", "Nivelles"),
    ("1430", "Rebecq", "Rebecq"),
    ("1435", "Mont-Saint-Guibert", "Mont-Saint-Guibert"),
    ("1440", "Braine-Le-Château", "Braine-Le-Château"),
    ("1450", "Chastre", "Chastre"),
    ("1457", "Walhain", "Walhain"),
    ("1460", "Ittre", "Ittre"),
    ("1470", "Genappe", "Genappe"),
    ("1480", "Tubize", "Tubize"),
    ("1495", "Villers-La-Ville", "Villers-La-Ville"),
    // Flemish Brabant
    ("1540", "Herne", "Herne"),
    ("1570", "Galmaarden", "Galmaarden"),
    ("1600", "Sint-Pieters-Leeuw", "Sint-Pieters-Leeuw"),
    ("1670", "Pepingen", "Pepingen"),
    ("1700", "Dilbeek", "Dilbeek"),
    ("1730", "Asse", "Asse"),
    ("1731", "Asse", "Zellik"),
    ("1745", "Opwijk", "Opwijk"),
    ("1750", "Lennik", "Lennik"),
    ("1755", "Gooik", "Gooik"),
    ("1760", "Roosdaal", "Roosdaal"),
    ("1785", "Merchtem", "Merchtem"),
    ("1790", "Affligem", "Affligem"),
    ("1800", "Vilvoorde", "Vilvoorde"),
    ("1820", "Steenokkerzeel", "Steenokkerzeel"),
    ("1840", "Londerzeel", "Londerzeel"),
    ("1880", "Kapelle-Op-Den-Bos", "Kapelle-Op-Den-Bos"),
    ("1910", "Kampenhout", "Kampenhout"),
    ("1930", "Zaventem", "Zaventem"),
    ("1980", "Zemst", "Zemst"),
    ("1982", "Zemst", "Elewijt"),
    ("3020", "Herent", "Herent"),
    ("3040", "Huldenberg", "Huldenberg"),
    ("3060", "Bertem", "Bertem"),
    ("3078", "Kortenberg", "Everberg"),
    ("3080", "Tervuren", "Tervuren"),
    ("3130", "Begijnendijk", "Begijnendijk"),
    ("3150", "Haacht", "Haacht"),
    ("3200", "Aarschot", "Aarschot"),
    ("3210", "Lubbeek", "Lubbeek"),
    ("3220", "Holsbeek", "Holsbeek"),
    ("3270", "Scherpenheuvel-Zichem", "Scherpenheuvel-Zichem"),
    ("3271", "Scherpenheuvel-Zichem", "Zichem"),
    ("3272", "Scherpenheuvel-Zichem", "Testelt"),
    ("3290", "Diest", "Diest"),
    ("3300", "Tienen", "Tienen"),
    ("3320", "Hoegaarden", "Hoegaarden"),
    ("3350", "Linter", "Linter"),
    ("3360", "Bierbeek", "Bierbeek"),
    ("3370", "Boutersem", "Boutersem"),
    ("3380", "Glabbeek", "Glabbeek"),
    ("3390", "Tielt-Winge", "Tielt-Winge"),
    ("3400", "Landen", "Landen"),
    ("3401", "Landen", "Walshoutem"),
    ("3404", "Landen", "Attenhoven"),
    ("3440", "Zoutleeuw", "Zoutleeuw"),
    ("3450", "Geetbets", "Geetbets"),
    ("3460", "Bekkevoort", "Bekkevoort"),
    ("3470", "Kortenaken", "Kortenaken"),
];

/// One CSV row: postal code, locality, coordinates.
type Row = (&'static str, &'static str, Coordinates);

/// Splits one line of the embedded CSV into fields, borrowing from the static text.
/// Quoted fields are unquoted; a field with an escaped quote (`""`) is refused, as the
/// data has none.
fn split_fields(line: &'static str) -> Option<Vec<&'static str>> {
    let mut fields = Vec::with_capacity(4);
    let mut rest = line;
    loop {
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"')?;
            fields.push(&quoted[..end]);
            rest = &quoted[end + 1..];
            match rest.strip_prefix(',') {
                Some(after) => rest = after,
                None if rest.is_empty() => return Some(fields),
                None => return None,
            }
        } else {
            match rest.split_once(',') {
                Some((field, after)) => {
                    fields.push(field);
                    rest = after;
                }
                None => {
                    fields.push(rest);
                    return Some(fields);
                }
            }
        }
    }
}

/// The data rows that parse, in file order (the header and malformed lines are skipped;
/// a unit test checks that none is).
fn rows() -> impl Iterator<Item = Row> {
    DATA.lines().skip(1).filter_map(|line| {
        let fields = split_fields(line.trim_end_matches('\r'))?;
        let [code, locality, longitude, latitude] = fields.as_slice() else {
            return None;
        };
        let coordinates = Coordinates::new(latitude.parse().ok()?, longitude.parse().ok()?).ok()?;
        let well_formed = code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit());
        well_formed.then_some((*code, *locality, coordinates))
    })
}

struct Gazetteer {
    /// One place per postal code, sorted by code.
    places: Vec<Place>,
    /// Unit vectors of `places`, for [`nearest_place`].
    vectors: Vec<[f64; 3]>,
}

fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(|| {
        let mut all: Vec<Row> = rows().collect();
        all.sort_by_key(|(code, _, _)| *code); // stable: localities keep file order
        let mut places: Vec<Place> = Vec::new();
        for group in all.chunk_by(|a, b| a.0 == b.0) {
            let (code, first_locality, first_coordinates) = group[0];
            let curated = MAIN_MUNICIPALITIES.iter().find(|(c, _, _)| *c == code);
            let place = match curated {
                Some((_, municipality, locality)) => Place {
                    postal_code: code,
                    municipality,
                    coordinates: group
                        .iter()
                        .find(|(_, l, _)| l == locality)
                        .map_or(first_coordinates, |(_, _, c)| *c),
                },
                None => Place {
                    postal_code: code,
                    municipality: first_locality,
                    coordinates: first_coordinates,
                },
            };
            places.push(place);
        }
        let vectors = places.iter().map(|p| p.coordinates.unit_vector()).collect();
        Gazetteer { places, vectors }
    })
}

/// Every postal code of the gazetteer, one [`Place`] each, sorted by code.
pub fn places() -> &'static [Place] {
    &gazetteer().places
}

/// The place of a Belgian postal code (surrounding spaces ignored), or `None` when bpost
/// has no such code. A code shared by several localities answers with the main
/// municipality, e.g. `"1930"` -> Zaventem (not Nossegem).
pub fn lookup_postal_code(code: &str) -> Option<&'static Place> {
    let code = code.trim();
    let places = places();
    places
        .binary_search_by(|p| p.postal_code.cmp(code))
        .ok()
        .map(|i| &places[i])
}

/// The postal code whose centroid is closest to `c` (anywhere on Earth: a point abroad
/// gets the nearest Belgian code).
pub fn nearest_place(c: &Coordinates) -> &'static Place {
    let g = gazetteer();
    let v = c.unit_vector();
    let best = g
        .vectors
        .iter()
        .enumerate()
        .map(|(i, p)| (chord(&v, p), i))
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
        .map_or(0, |(_, i)| i);
    &g.places[best]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lat: f64, lon: f64) -> Coordinates {
        Coordinates::new(lat, lon).unwrap()
    }

    #[test]
    fn every_data_row_parses() {
        let lines = DATA.lines().count() - 1;
        assert_eq!(rows().count(), lines);
        assert!(places().len() > 1100);
        assert!(
            places()
                .windows(2)
                .all(|w| w[0].postal_code < w[1].postal_code)
        );
        assert!(places().iter().all(|p| p.coordinates.is_in_belgium()));
    }

    #[test]
    fn quoted_localities_are_unquoted() {
        assert_eq!(lookup_postal_code("1310").unwrap().municipality, "La Hulpe");
        assert_eq!(lookup_postal_code("8420").unwrap().municipality, "De Haan");
    }

    #[test]
    fn shared_codes_answer_with_the_main_municipality() {
        for (code, municipality) in [
            ("1300", "Wavre"),
            ("1930", "Zaventem"),
            ("1980", "Zemst"),
            ("1982", "Zemst"),
            ("1700", "Dilbeek"),
            ("1800", "Vilvoorde"),
            ("3000", "Leuven"),
            ("3078", "Kortenberg"),
            ("3300", "Tienen"),
            ("1000", "Bruxelles"),
        ] {
            assert_eq!(
                lookup_postal_code(code).unwrap().municipality,
                municipality,
                "{code}"
            );
        }
        let zaventem = lookup_postal_code("1930").unwrap().coordinates;
        assert_eq!(
            (zaventem.latitude(), zaventem.longitude()),
            (50.8804355, 4.4745515)
        );
        let zellik = lookup_postal_code("1731").unwrap();
        assert_eq!(zellik.municipality, "Asse");
        assert_eq!(zellik.coordinates.latitude(), 50.8842475);
    }

    #[test]
    fn every_curated_locality_exists_in_the_data() {
        let all: Vec<Row> = rows().collect();
        for (code, _, locality) in MAIN_MUNICIPALITIES {
            assert!(
                all.iter().any(|(c, l, _)| c == code && l == locality),
                "{code} {locality}"
            );
        }
    }

    #[test]
    fn lookup_trims_and_refuses_unknown_codes() {
        assert_eq!(lookup_postal_code(" 1000 ").unwrap().postal_code, "1000");
        assert!(lookup_postal_code("0000").is_none());
        assert!(lookup_postal_code("abcd").is_none());
        assert!(lookup_postal_code("").is_none());
    }

    #[test]
    fn nearest_place_finds_the_postal_code_around_a_point() {
        let grand_place = at(50.8467, 4.3525);
        assert_eq!(nearest_place(&grand_place).postal_code, "1000");
        let leuven = lookup_postal_code("3000").unwrap();
        assert_eq!(nearest_place(&leuven.coordinates).postal_code, "3000");
        for place in places().iter().step_by(37) {
            assert_eq!(
                nearest_place(&place.coordinates).coordinates,
                place.coordinates
            );
        }
    }

    #[test]
    fn coordinates_are_validated() {
        assert!(Coordinates::new(91.0, 0.0).is_err());
        assert!(Coordinates::new(0.0, -180.5).is_err());
        assert!(Coordinates::new(f64::NAN, 4.0).is_err());
        assert!(Coordinates::new(50.0, f64::INFINITY).is_err());
        let err = Coordinates::new(100.0, 4.0).unwrap_err();
        assert!(
            err.to_string()
                .contains("latitude must be between -90 and 90")
        );
        assert!(at(50.85, 4.35).is_in_belgium());
        assert!(!at(48.85, 2.35).is_in_belgium());
    }

    #[test]
    fn distance_is_the_haversine_distance() {
        let brussels = at(50.8465573, 4.351697);
        let antwerp = at(51.2211097, 4.3997081);
        let d = brussels.distance_km(&antwerp);
        // Classic haversine formula as the oracle.
        let (p1, p2) = (
            brussels.latitude().to_radians(),
            antwerp.latitude().to_radians(),
        );
        let dp = p2 - p1;
        let dl = (antwerp.longitude() - brussels.longitude()).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        let oracle = 2.0 * EARTH_RADIUS_KM * a.sqrt().asin();
        assert!((d - oracle).abs() < 1e-6, "{d} vs {oracle}");
        assert!((d - 41.8).abs() < 0.5, "{d}");
        assert_eq!(brussels.distance_km(&brussels), 0.0);
        assert_eq!(
            brussels.distance_km(&antwerp),
            antwerp.distance_km(&brussels)
        );
        let antipode = at(-50.8465573, 4.351697 - 180.0);
        assert!(
            (brussels.distance_km(&antipode) - std::f64::consts::PI * EARTH_RADIUS_KM).abs() < 1e-6
        );
        assert!((chord_to_km(km_to_chord(12.5)) - 12.5).abs() < 1e-9);
    }
}
