"""Which tool wrote a CSV, told from its header row, and which of its columns feed which csm field."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from csm.errors import InputError
from csm.importers.reading import describe_columns

KINDS = ("accounts", "contacts", "opportunities", "tickets", "surveys", "usage", "requests", "plans", "interactions")
SOURCES = ("salesforce", "hubspot", "zendesk", "churnzero", "csm")
LINK_FIELDS = ("account_id", "email", "contact_email", "requester_email", "requester_domain", "account")


def _words(text: str) -> list[str]:
    return text.split()


# The native csm columns of each kind (notes/native_formats.md), besides the shared link columns.
_NATIVE: dict[str, list[str]] = {
    "accounts": _words(
        "name account_id domains segment arr currency lifecycle_stage contract_start renewal_date licences owner "
        "ebr_cadence_months would_renew first_value_on is_active company_revenue contract_value last_activity_on"
    ),
    "contacts": _words(
        "name first_name last_name contact_id account_id account email phone title role influence reports_to left_on "
        "last_activity_on"
    ),
    "opportunities": _words(
        "name opportunity_id account_id account kind amount stage close_date forecast_category is_closed is_won currency "
        "loss_reason"
    ),
    "tickets": _words(
        "ticket_id created_at account_id account requester_email requester_domain subject status priority solved_at"
    ),
    "surveys": _words("score responded_on response_id account_id account contact_email survey survey_type comment"),
    "usage": _words("measured_on account_id account active_users licensed_seats feature_breadth"),
    "requests": _words("feature request_id account_id account requested_on notes email"),
    "plans": _words(
        "goal account_id account value_type metric unit baseline target current due status customer_confirmed "
        "confirmed_by confirmed_on evidence"
    ),
    "interactions": _words("summary occurred_on account_id account kind next_steps attendees sentiment shared"),
}
NATIVE_FIELDS: dict[str, tuple[str, ...]] = {kind: (*fields, "is_deleted") for kind, fields in _NATIVE.items()}

# Fields whose cells are dates (read per column: see csm.importers.columns) or numbers (the decimal mark
# decided per column). Date-times are dates too: their date part is what the order decides.
DATE_FIELDS = frozenset(
    _words(
        "contract_start renewal_date first_value_on last_activity_on left_on close_date created_at solved_at "
        "responded_on measured_on requested_on due occurred_on confirmed_on"
    )
)
NUMBER_FIELDS = frozenset(
    _words(
        "arr company_revenue contract_value licences ebr_cadence_months amount score active_users licensed_seats "
        "feature_breadth baseline target current"
    )
)

# Each requirement: (what a user reads, alternative sets of fields any one of which satisfies it).
_LINK = ("an account link", [{name} for name in LINK_FIELDS])
REQUIRED: dict[str, list[tuple[str, list[set[str]]]]] = {
    "accounts": [("name", [{"name"}])],
    "contacts": [("name", [{"name"}, {"first_name"}, {"last_name"}]), _LINK],
    "opportunities": [("name", [{"name"}]), _LINK],
    "tickets": [("ticket_id", [{"ticket_id"}]), ("created_at", [{"created_at"}]), _LINK],
    "surveys": [("score", [{"score"}]), ("responded_on", [{"responded_on"}]), _LINK],
    "usage": [("measured_on", [{"measured_on"}]), _LINK],
    "requests": [("feature", [{"feature"}]), _LINK],
    "plans": [("goal", [{"goal"}]), _LINK],
    "interactions": [("summary", [{"summary"}]), ("occurred_on", [{"occurred_on"}]), _LINK],
}


def header_key(name: str) -> str:
    """'Account ID', 'ACCOUNTID', 'AccountId' and 'account_id' are one column to csm."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


# Header maps: for each source and kind, column → field, in order of preference when two columns feed one field.
_SALESFORCE = {
    "accounts": {
        "Id": "account_id",
        "Account ID": "account_id",
        "Name": "name",
        "Account Name": "name",
        "ARR__c": "arr",
        "ARR": "arr",
        "Annual Recurring Revenue": "arr",
        # the customer company's own size, never its ARR with us (DOMAIN.md, "What the book does not know")
        "AnnualRevenue": "company_revenue",
        "Annual Revenue": "company_revenue",
        "LastActivityDate": "last_activity_on",
        "Last Activity": "last_activity_on",
        "Website": "domains",
        "Account Owner": "owner",
        "Owner Email": "owner",
        "CurrencyIsoCode": "currency",
        "Account Currency": "currency",
        "Renewal_Date__c": "renewal_date",
        "Renewal Date": "renewal_date",
        "Contract_Start_Date__c": "contract_start",
        "Licences__c": "licences",
        "Licenses__c": "licences",
        "Segment__c": "segment",
        "Segment": "segment",
        "Customer Stage": "lifecycle_stage",
        "Lifecycle Stage": "lifecycle_stage",
        "Contract Start": "contract_start",
        "Contract Start Date": "contract_start",
        "Licenses": "licences",
        "Licences": "licences",
        "First Value Date": "first_value_on",
        "IsDeleted": "is_deleted",
        # a German-language org's report labels (custom fields keep the labels their admin gave them)
        "Account-Name": "name",
        "Accountname": "name",
        "Account-ID": "account_id",
        "Account-Inhaber": "owner",
        "Accountinhaber": "owner",
        "Jahresumsatz": "company_revenue",
        "Letzte Aktivität": "last_activity_on",
        "Verlängerungsdatum": "renewal_date",
        "Vertragsende": "renewal_date",
        "Vertragsbeginn": "contract_start",
        "Lizenzen": "licences",
    },
    "contacts": {
        "Id": "contact_id",
        "Contact ID": "contact_id",
        "AccountId": "account_id",
        "Account ID": "account_id",
        "Account Name": "account",
        "Name": "name",
        "Full Name": "name",
        "FirstName": "first_name",
        "LastName": "last_name",
        "Email": "email",
        "Phone": "phone",
        "MobilePhone": "phone",
        "Mobile": "phone",
        "Title": "title",
        "ReportsToId": "reports_to",
        "Reports To": "reports_to",
        "Role": "role",
        "Contact Role": "role",
        "Contact Roles": "role",
        "OpportunityContactRole.Role": "role",
        "LastActivityDate": "last_activity_on",
        "Last Activity": "last_activity_on",
        "IsDeleted": "is_deleted",
        # a German-language org's report labels
        "Kontakt-ID": "contact_id",
        "Account-ID": "account_id",
        "Account-Name": "account",
        "Accountname": "account",
        "Vorname": "first_name",
        "Nachname": "last_name",
        "E-Mail": "email",
        "Telefon": "phone",
        "Mobiltelefon": "phone",
        "Titel": "title",
        "Kontaktrolle": "role",
        "Letzte Aktivität": "last_activity_on",
    },
    "opportunities": {
        "Id": "opportunity_id",
        "Opportunity ID": "opportunity_id",
        "AccountId": "account_id",
        "Account ID": "account_id",
        "Account Name": "account",
        "Name": "name",
        "Opportunity Name": "name",
        "StageName": "stage",
        "Stage": "stage",
        "Amount": "amount",
        "CloseDate": "close_date",
        "Close Date": "close_date",
        "Type": "kind",
        "Opportunity Type": "kind",
        "ForecastCategoryName": "forecast_category",
        "ForecastCategory": "forecast_category",
        "Forecast Category": "forecast_category",
        "IsClosed": "is_closed",
        "Closed": "is_closed",
        "IsWon": "is_won",
        "Won": "is_won",
        "CurrencyIsoCode": "currency",
        "Opportunity Currency": "currency",  # a multi-currency org's report
        "Loss Reason": "loss_reason",
        "Loss_Reason__c": "loss_reason",
        "Closed Lost Reason": "loss_reason",
        "IsDeleted": "is_deleted",
    },
}
_SALESFORCE_MARKS = "|".join(
    [
        *_words(
            "OwnerId CreatedDate CreatedById LastModifiedDate LastModifiedById SystemModstamp LastActivityDate "
            "MasterRecordId ParentId BillingStreet BillingCity BillingState BillingPostalCode BillingCountry "
            "ShippingStreet ShippingCity ShippingState ShippingPostalCode ShippingCountry Fax AccountNumber Sic "
            "Industry NumberOfEmployees Ownership TickerSymbol Description Rating Site Probability ExpectedRevenue "
            "TotalOpportunityQuantity NextStep LeadSource HasOpportunityLineItem PricebookId Pricebook2Id "
            "FiscalQuarter FiscalYear Fiscal Department MailingStreet MailingCity MailingState MailingCountry "
            "Salutation RecordTypeId"
        ),
        "Account Owner",
        "Billing State/Province",
        "Billing City",
        "Billing Country",
        "Last Activity",
        "Created Date",
        "Typ",
        "Rechnungsstadt",
        "Rechnungsland",
        "Erstellt am",
        "Opportunity Owner",
        "Fiscal Period",
        "Probability (%)",
        "Next Step",
        "Lead Source",
    ]
)

_RESULT_COLUMNS = frozenset(["status", "error"])  # Data Loader result files; not a signature: too common

_HUBSPOT = {
    "accounts": {
        "Record ID": "account_id",
        "Company ID": "account_id",
        "id": "account_id",
        "Company name": "name",
        "Name": "name",
        "property_name": "name",
        "Company Domain Name": "domains",
        "Website URL": "domains",
        "property_domain": "domains",
        "property_website": "domains",
        "Company owner": "owner",
        "ARR": "arr",
        "Annual Recurring Revenue": "arr",
        "Annual Revenue": "company_revenue",
        "property_annualrevenue": "company_revenue",
        "Last Activity Date": "last_activity_on",
        "property_notes_last_updated": "last_activity_on",
        "Renewal Date": "renewal_date",
        "is_deleted": "is_deleted",
    },
    "contacts": {
        "Record ID": "contact_id",
        "Contact ID": "contact_id",
        "id": "contact_id",
        "First Name": "first_name",
        "property_firstname": "first_name",
        "Last Name": "last_name",
        "property_lastname": "last_name",
        "Email": "email",
        "property_email": "email",
        "Phone Number": "phone",
        "property_phone": "phone",
        "Job Title": "title",
        "property_jobtitle": "title",
        "Primary Associated Company ID": "account_id",
        "Associated Company IDs": "account_id",
        "property_associatedcompanyid": "account_id",
        "Company Name": "account",
        "Associated Company": "account",
        "property_company": "account",
        "Buying Role": "role",
        "Buying Roles": "role",
        "property_hs_buying_role": "role",
        "Last Activity Date": "last_activity_on",
        "property_notes_last_updated": "last_activity_on",
        "Influence": "influence",
        "Reports To": "reports_to",
        "_fivetran_deleted": "is_deleted",
        "is_deleted": "is_deleted",
    },
    "opportunities": {
        "Record ID": "opportunity_id",
        "Deal ID": "opportunity_id",
        "deal_id": "opportunity_id",
        "Deal Name": "name",
        "property_dealname": "name",
        "Deal Stage": "stage",
        "property_dealstage": "stage",
        "Amount": "amount",
        "property_amount": "amount",
        "Close Date": "close_date",
        "property_closedate": "close_date",
        "Deal Type": "kind",
        "property_dealtype": "kind",
        "Forecast category": "forecast_category",
        "Closed Lost Reason": "loss_reason",
        "closed_lost_reason": "loss_reason",
        "property_closed_lost_reason": "loss_reason",
        "Associated Company IDs": "account_id",
        "Associated Company ID": "account_id",
        "Associated Company": "account",
        "Company name": "account",
        "is_deleted": "is_deleted",
    },
}
_HUBSPOT_MARKS = (
    "Company owner|Contact owner|Deal owner|Create Date|Last Activity Date|Phone Number|City|Country/Region|Industry"
    "|Lead Status|Lifecycle Stage|Marketing contact status|Pipeline|_fivetran_synced"
)

_ZENDESK = {
    "tickets": {
        "Id": "ticket_id",
        "Ticket ID": "ticket_id",
        "Subject": "subject",
        "Status": "status",
        "Priority": "priority",
        "Requester email": "requester_email",
        "Requester domain": "requester_domain",
        "Organization": "account",
        "organization_id": "account_id",
        "Organization id": "account_id",
        "Created at": "created_at",
        "Solved at": "solved_at",
        # an export by an agent whose Zendesk speaks German
        "Ticket-ID": "ticket_id",
        "Betreff": "subject",
        "Priorität": "priority",
        "E-Mail des Anfragenden": "requester_email",
        "Organisation": "account",
        "Erstellt am": "created_at",
        "Gelöst am": "solved_at",
    },
    "accounts": {
        "Id": "account_id",
        "Name": "name",
        "Domain names": "domains",
        "domain_names": "domains",
    },
    "contacts": {
        "Id": "contact_id",
        "Name": "name",
        "Email": "email",
        "Phone": "phone",
        "organization_id": "account_id",
        "Organization": "account",
    },
}
_ZENDESK_MARKS = (
    "Summation column|Requester|Requester id|Requester external id|Submitter|Assignee|Group|Tags|Via|Ticket type"
    "|Updated at|Assigned at|Due date|Initially assigned at|Resolution time|Satisfaction Score|Group stations"
    "|Assignee stations|Reopens|Replies|requester_id|assignee_id|group_id|via_channel|submitter_id|ticket_form_id"
    "|brand_id|allow_channelback|has_incidents|is_public|problem_id|recipient|due_at|merged_ticket_ids"
    "|followup_ids|shared_tickets|shared_comments|external_id|details|notes|url"
)

_CHURNZERO = {
    "accounts": {
        "accountExternalId": "account_id",
        "Name": "name",
        "NextRenewalDate": "renewal_date",
        "EndDate": "renewal_date",
        "TotalContractAmount": "contract_value",  # TCV on multi-year deals; ARR comes from the term
        "IsActive": "is_active",
        "StartDate": "contract_start",
        "LicenseCount": "licences",
        "OwnerUserAccount": "owner",
    },
    "contacts": {
        "contactExternalId": "contact_id",
        "accountExternalId": "account_id",
        "FirstName": "first_name",
        "LastName": "last_name",
        "Email": "email",
        "Phone": "phone",
        "Title": "title",
    },
}
_CHURNZERO_MARKS = (
    "BillingAddressLine1|BillingAddressLine2|BillingAddressCity|BillingAddressState|BillingAddressZip"
    "|BillingAddressCountry|ParentAccountExternalId"
)


def _keyed(table: dict[str, dict[str, str]]) -> dict[str, list[tuple[str, str]]]:
    return {kind: [(header_key(column), name) for column, name in columns.items()] for kind, columns in table.items()}


def _marks(text: str) -> frozenset[str]:
    return frozenset(header_key(part) for part in text.split("|") if part)


# The words a CSM's own spreadsheet uses for csm's fields (after csm's own names, before nothing at all).
_SPREADSHEET = {
    "accounts": {
        "Customer": "name",
        "Customer Name": "name",
        "Customer ID": "account_id",
        "Renewal": "renewal_date",
        "Renewal Date": "renewal_date",
        "Start": "contract_start",
        "Start Date": "contract_start",
        "Seats": "licences",
        "Licenses": "licences",
        "CSM": "owner",
        "Owner": "owner",
        "Stage": "lifecycle_stage",
    },
}


HEADER_MAPS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "salesforce": _keyed(_SALESFORCE),
    "hubspot": _keyed(_HUBSPOT),
    "zendesk": _keyed(_ZENDESK),
    "churnzero": _keyed(_CHURNZERO),
    "csm": {
        kind: [(header_key(name), name) for name in names] + _keyed(_SPREADSHEET).get(kind, [])
        for kind, names in NATIVE_FIELDS.items()
    },
}
_MARKS = {
    "salesforce": _marks(_SALESFORCE_MARKS),
    "hubspot": _marks(_HUBSPOT_MARKS),
    "zendesk": _marks(_ZENDESK_MARKS),
    "churnzero": _marks(_CHURNZERO_MARKS),
    "csm": frozenset[str](),
}


@dataclass
class ColumnPlan:
    """What feeds each field: the CSV columns in order of preference (the first non-empty cell wins)."""

    kind: str
    source: str
    columns: dict[str, list[str]]
    unused: list[str] = field(default_factory=list)

    def has(self, name: str) -> bool:
        return name in self.columns

    def columns_of(self, fields: Iterable[str]) -> list[str]:
        """The CSV columns that feed any of these fields."""
        return [column for name in fields for column in self.columns.get(name, [])]


def _signature(source: str, header: Iterable[str]) -> int:
    """Columns only one tool writes; worth more than a shared label such as 'Email'."""
    score = 0
    for column in header:
        key = header_key(column)
        strong = {
            "salesforce": column.lower().endswith("__c"),
            "hubspot": key == "recordid" or column.startswith("property_"),
            "zendesk": key in ("summationcolumn", "requesteremail", "requesterdomain", "viachannel"),
            "churnzero": key in ("accountexternalid", "contactexternalid"),
        }
        if strong.get(source):
            score += 3
        elif source == "zendesk" and re.search(r"\[[^\]]*\]$", column):
            score += 1  # custom fields: "Plan [list]"
    return score


def detect_source(kind: str, header: list[str]) -> str:
    """The tool whose columns best explain the header; csm's own format wins ties."""
    keys = [header_key(column) for column in header]
    best, best_score = "csm", -1
    for source in ("csm", "salesforce", "hubspot", "zendesk", "churnzero"):
        mapped = {key for key, _ in HEADER_MAPS[source].get(kind, [])}
        known = sum(1 for key in keys if key in mapped or key in _MARKS[source])
        score = known + _signature(source, header)
        if score > best_score:
            best, best_score = source, score
    return best


def plan_columns(
    kind: str, header: list[str], *, source: str = "auto", mapping: dict[str, str] | None = None
) -> ColumnPlan:
    """Resolve the header into fields; --map entries come first; a missing required column is an InputError."""
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
    chosen = detect_source(kind, header) if source == "auto" else source
    if chosen not in SOURCES:
        raise InputError(f"unknown source {source!r}; use auto or one of: {', '.join(SOURCES)}")
    columns: dict[str, list[str]] = {}
    taken: set[str] = set()
    by_key: dict[str, list[str]] = {}
    for column in header:
        by_key.setdefault(header_key(column), []).append(column)
    for column, name in (mapping or {}).items():
        if name not in NATIVE_FIELDS[kind]:
            raise InputError(
                f"--map {column}={name}: {kind} have no field {name!r}; fields: {', '.join(NATIVE_FIELDS[kind])}"
            )
        found = column if column in header else next(iter(by_key.get(header_key(column), [])), None)
        if found is None:
            raise InputError(
                f"--map {column}={name}: there is no column {column!r}; columns found: {describe_columns(header)}"
            )
        columns.setdefault(name, []).append(found)
        taken.add(found)
    pairs = HEADER_MAPS[chosen].get(kind, [])
    if chosen != "csm":  # csm's own column names are understood from every tool
        pairs = [*pairs, *HEADER_MAPS["csm"][kind]]
    for key, name in pairs:
        for column in by_key.get(key, []):
            if column not in taken and name not in (mapping or {}).values():
                columns.setdefault(name, []).append(column)
                taken.add(column)
    marks = _MARKS[chosen] | (_RESULT_COLUMNS if chosen == "salesforce" else frozenset())
    unused = [c for c in header if c not in taken and header_key(c) not in marks]
    plan = ColumnPlan(kind, chosen, columns, unused)
    if not mapping:
        _check_kind(plan, header)
    _check_required(plan, header)
    return plan


# The fields that tell one kind of export from another (a name, an owner or an account link every kind has).
_OWN_FIELDS = {
    "accounts": {"arr", "renewal_date", "contract_start", "contract_value", "licences", "company_revenue", "segment"},
    "contacts": {"first_name", "last_name", "email", "title", "role", "phone", "reports_to"},
    "tickets": {"ticket_id", "subject", "status", "priority", "requester_email", "created_at", "solved_at"},
}


def _check_kind(plan: ColumnPlan, header: list[str]) -> None:
    """Refuse a file that is plainly another kind's export (companies given to `import contacts` became people
    named after them), naming the columns that say so and the import to use."""
    if plan.kind not in _OWN_FIELDS or len(set(plan.columns) & _OWN_FIELDS[plan.kind]) > 1:
        return
    keys = {header_key(column): column for column in header}
    for other, fields in _OWN_FIELDS.items():
        if other == plan.kind:
            continue
        telling = {
            keys[key]: name
            for source in HEADER_MAPS.values()
            for key, name in source.get(other, [])
            if key in keys and name in fields
        }
        if len(set(telling.values())) >= 3:
            shown = ", ".join(repr(column) for column in list(telling)[:4])
            raise InputError(
                f"this looks like an export of {other}, not {plan.kind}: columns such as {shown} belong to {other}. "
                f"Import it with 'csm import {other} FILE' (or, if it is {plan.kind}, say which column feeds each "
                "field with --map)"
            )


def _check_required(plan: ColumnPlan, header: list[str]) -> None:
    for what, alternatives in REQUIRED[plan.kind]:
        if any(all(plan.has(name) for name in option) for option in alternatives):
            continue
        target = "account" if what == "an account link" else what
        guess = _guess_column(target, plan.unused or header)
        hint = f'--map "{guess}={target}"' if guess else f'--map "COLUMN={target}"'
        needs = (
            "an account link (account_id, an e-mail column or account)" if what == "an account link" else f"'{what}'"
        )
        raise InputError(
            f"no column gives {needs} for {plan.kind} ({_read_as(plan.source)}). "
            f"Columns found: {describe_columns(header)}. Name the column with {hint}"
        )


_HINTS = {"account": ("company", "account", "organization", "organisation", "customer"), "name": ("name",)}


def _guess_column(target: str, columns: list[str]) -> str | None:
    for word in _HINTS.get(target, ()):
        for column in columns:
            if word in column.lower():
                return column
    close = difflib.get_close_matches(target, [c.lower() for c in columns], n=1, cutoff=0.6)
    return next((c for c in columns if c.lower() == close[0]), None) if close else None


def parse_mapping(entries: list[str]) -> dict[str, str]:
    """'CSV column=field' pairs from --map (the last '=' splits, so a column name may hold one)."""
    mapping: dict[str, str] = {}
    for entry in entries:
        column, sep, name = entry.rpartition("=")
        if not sep or not column.strip() or not name.strip():
            raise InputError(f'--map {entry!r}: write it as "CSV column=field", e.g. --map "Company=account"')
        mapping[column.strip()] = name.strip()
    return mapping


def _read_as(source: str) -> str:
    """How the file was read, in words: "read with csm's own column names", "read as a Salesforce export"."""
    names = {"hubspot": "HubSpot", "churnzero": "ChurnZero", "salesforce": "Salesforce", "zendesk": "Zendesk"}
    return "read with csm's own column names" if source == "csm" else f"read as a {names.get(source, source)} export"
