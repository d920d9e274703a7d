// Package ownership decides whether a bank account belongs to the person applying:
// it compares an applicant's name, e-mail, phone and postal address with each owner
// a bank reports for the account (Stripe Financial Connections account owners) and,
// per field, returns a 0–100 score, a match verdict at the policy threshold, which
// owner matched, and machine-readable reasons.
//
// It is pure code: no I/O, no clock. Match is the entry point; NormalizeName,
// NormalizeEmail, NormalizePhone and NormalizeAddress expose the canonical forms.
//
// # Scores
//
// Scores follow Plaid Identity Match's published bands: 100 identical; 99 identical
// after normalization (case, punctuation, diacritics, order, titles, a middle initial);
// 95–98 strong (a nickname, a dropped suffix, a provider e-mail alias); 90–94 one typo
// or part of a compound surname; 70–89 a weaker match; 50–69 for human review; below 50
// unlikely. When several deviations stack, the lowest ceiling applies less 2 per
// further deviation. DefaultPolicy matches at 70 for every field.
//
// A family-member outcome (same surname, other given name; Jr against Sr), a business
// named after the applicant, or a person named only as beneficiary, care-of addressee
// or estate is never a match, whatever the threshold.
//
// # Reasons
//
// Reasons are stable codes; those with a colon carry the names involved
// ("nickname:betsy=elizabeth", applicant's form first).
//
// Common: exact, normalized.
//
// Names: name_order_swapped, honorific_removed, credential_removed, diacritics_folded,
// transliteration, name_spacing, middle_initial, middle_name_omitted,
// middle_name_conflict, suffix_omitted, suffix_conflict, nickname:a=b,
// name_variant:a=b, spelling_variant:a=b, short_form:a=b, first_name_initial,
// goes_by_middle_name, hyphenated_name_partial, compound_surname_partial,
// surname_particle_omitted, truncated_name, typo_first_name, typo_middle_name,
// typo_last_name, first_name_mismatch, last_name_mismatch, single_name_word,
// no_name_match, joint_owner, dba, role_trustee, role_custodian, role_minor,
// role_fiduciary, role_alias, role_beneficial_owner, role_beneficiary, role_care_of,
// role_estate, business_name, business_named_after_person, business_name_partial,
// business_word_order, typo_business_name, legal_form_omitted, legal_form_differs,
// person_vs_business.
//
// Addresses: standardized, house_number_mismatch, street_name_mismatch,
// street_name_typo, street_suffix_mismatch, street_suffix_omitted,
// directional_mismatch, directional_omitted, directional_position, unit_mismatch,
// unit_omitted, po_box_vs_street, po_box_mismatch, rural_route_vs_street,
// rural_route_mismatch, city_mismatch, city_typo, city_truncated, city_missing,
// state_mismatch, postal_code_mismatch, zip4_mismatch, locality_missing,
// address_unparsed, address_number_mismatch, no_address_match.
//
// Phones: e164_normalized, extension_dropped, national_trunk_prefix,
// country_code_mismatch, area_code_missing, area_code_mismatch, one_digit_differs,
// digits_transposed, incomplete_number, no_phone_match.
//
// E-mails: gmail_dots_ignored, plus_tag_removed, provider_alias, icloud_domain_alias,
// domain_typo, same_local_different_domain, local_part_dots_differ,
// plus_tag_differs, local_part_typo, local_part_mismatch, invalid_email,
// no_email_match.
//
// # What each field understands
//
// Names: case, punctuation, diacritics and transliteration (Latin-1 and Latin
// Extended-A folded by a table, ß→ss, Æ→ae, Ø→o, Ł→l, umlauts also as ae/oe/ue,
// Cyrillic romanised); honorifics, generational suffixes and credentials; "Last, First"
// and surname-first order; middle names and initials; a table of several hundred
// English given names with nicknames and spelling variants; hyphenated, particle (van
// der, de la) and two-part Spanish surnames; bank truncation of long names; one-letter
// typos, except between two different known names (Johnson/Johnston,
// Frances/Francis, Mario/Maria); joint owners (AND, &, OR, /, ET UX) with a shared
// surname; trustee, custodian/UTMA, POD/ITF, estate, DBA and AKA markers; businesses
// (legal forms and business words).
//
// Addresses: free-text bank addresses parsed into house number, street, USPS suffix
// and directionals, units, PO box or rural route, city, state (code or name) and ZIP or
// ZIP+4, using the applicant's city to split single-line addresses; foreign addresses
// are compared word by word with every number required to agree.
//
// Phones: E.164 with the US as default country, extensions dropped, 00/011 prefixes,
// national trunk zeros, keypad letters.
//
// E-mails: case and white space everywhere; Gmail's dot and +tag rules, +tags at
// Outlook, iCloud, Fastmail and Proton; iCloud's me.com/mac.com aliases; typos of large
// providers' domains.
package ownership
