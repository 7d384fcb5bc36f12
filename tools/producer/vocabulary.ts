/**
 * Word lists for realistic test events. Every address and number is fictional by construction:
 * e-mail domains end in `.example.com` (reserved, RFC 2606), phone numbers use the ranges set aside
 * for drama and documentation (US 555-01xx, UK 020 7946 0xxx, ...), card numbers are the
 * networks' published test numbers, and IPs are private or documentation ranges.
 */
export const FIRST_NAMES = [
  "Maria", "José", "Aisha", "Wei", "Olivia", "Liam", "Noah", "Emma", "Sofía", "Mateo", "Chloé", "Lukas",
  "Zoë", "Łukasz", "Priya", "Arjun", "Yuki", "Hiroshi", "Fatima", "Omar", "Ingrid", "Sven", "Ana", "João",
  "Kwame", "Amara", "Chen", "Mei", "Dmitri", "Elena", "Siobhán", "Connor", "Thandiwe", "Mohammed", "Leila",
  "Giulia", "Marco", "Nora", "Oskar", "Hana", "Tomás", "Camille", "Raj", "Nia", "Björn", "Ava", "Ethan",
] as const;

export const LAST_NAMES = [
  "García", "Smith", "Okafor", "Zhang", "Müller", "Rossi", "Dubois", "Kowalski", "Nakamura", "Patel",
  "Hernández", "Johansson", "Silva", "Ibrahim", "O'Brien", "Nguyen", "Kim", "Mensah", "Ivanova", "Novak",
  "Fernández", "Andersen", "Cohen", "Tanaka", "Haddad", "Murphy", "van der Berg", "Costa", "Schmidt", "Singh",
  "Lindqvist", "Moreau", "Dlamini", "Yilmaz", "Popescu", "Kaur", "Russo", "Bianchi", "Wójcik", "Sato",
] as const;

export const COMPANIES = [
  "Northwind Traders", "Contoso", "Fabrikam", "Globex", "Initech", "Umbrella Analytics", "Wayne Data",
  "Stark Logistics", "Acme Cloud", "Tailspin Toys", "Woodgrove Bank", "Litware", "Adventure Works",
  "Blue Yonder Airlines", "Coho Winery", "Lamna Healthcare", "Proseware", "Wingtip Toys", "Datum Corporation",
  "Trey Research", "Alpine Ski House", "Fourth Coffee", "Margie's Travel", "Relecloud",
] as const;

export const JOB_TITLES = [
  "Data Engineer", "Senior Data Engineer", "Analytics Engineer", "Data Scientist", "Machine Learning Engineer",
  "Platform Engineer", "Site Reliability Engineer", "Solutions Architect", "Cloud Architect", "Engineering Manager",
  "Head of Data", "Chief Data Officer", "BI Developer", "Product Manager", "Software Engineer", "Student",
  "Security Engineer", "DevOps Engineer", "Database Administrator", "Research Scientist", "CTO",
] as const;

export const TICKET_TYPES: readonly (readonly [string, number])[] = [
  ["standard", 70],
  ["student", 15],
  ["speaker", 8],
  ["sponsor", 7],
];

/** `#` is replaced by a random digit. */
export const PHONE_FORMATS = [
  "+1 415-555-01##", "+1 (212) 555-01##", "+44 20 7946 0###", "+44 7700 900###", "+49 30 123456##",
  "+33 1 99 00 ## ##", "+61 2 5550 ####", "+81 3-5555-####", "+34 91 555 ## ##", "+353 1 555 ####",
] as const;

export const NOTE_TEMPLATES = [
  "Vegetarian meal, please.",
  "Needs step-free access to all rooms.",
  "Arriving late on day one because of a flight delay.",
  "Interested in the streaming and lakehouse tracks.",
  "Please send the invoice to {email}.",
  "Best reached on {phone} during the conference.",
  "Colleague {email} will collect my badge.",
  "Allergic to peanuts.",
  "Would like to join the speaker dinner.",
  "Call {phone} if the workshop room changes.",
  "",
] as const;

/** Published test card numbers (Luhn-valid, never chargeable). */
export const TEST_CARD_NUMBERS = ["4111111111111111", "5555555555554444", "378282246310005", "6011111111111117"] as const;

export const WORDS = [
  "alpha", "beta", "gamma", "delta", "river", "stone", "cloud", "signal", "harbor", "maple", "orbit", "pixel",
  "quartz", "ember", "falcon", "granite", "lumen", "meadow", "nimbus", "prairie", "summit", "tundra", "vertex",
] as const;
