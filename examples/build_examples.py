#!/usr/bin/env python3
"""Build the fictional example tender pack in examples/pack/.

    python examples/build_examples.py

Writes four documents, a small but realistic pack for a community resettlement service
commissioned by a fictional council:

    01-invitation-to-tender.docx
    02-selection-questionnaire.docx
    03-specification.docx
    04-pricing-and-terms.pdf

All the prose is invented for plainbid. The council, prisons, charities and people named in it
do not exist. examples/README.md lists what a person finds in the pack by reading it; tests use
that list as the expected answers, so change the two together.

The output is the same bytes on every run with the same library versions: document dates are
fixed and the timestamps inside the .docx zip files are normalised.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.shared import Pt
from fpdf import FPDF

HERE = Path(__file__).resolve().parent
PACK = HERE / "pack"

# Fixed dates keep the build byte-for-byte repeatable.
DOC_DATE = datetime(2026, 12, 1, 9, 0, 0)
ZIP_DATE = (2026, 12, 1, 9, 0, 0)
PDF_DATE = datetime(2026, 1, 1, tzinfo=UTC)

HEADER = "Northmoor Borough Council – OFFICIAL"


# --------------------------------------------------------------------------------------------
# 01 Invitation to Tender
# --------------------------------------------------------------------------------------------

ITT = [
    ("title", "Invitation to Tender"),
    ("p", "Northmoor Resettlement Support Service"),
    ("p", "Ref: [XXX]"),
    (
        "p",
        "Issued by Northmoor Borough Council, Community Safety and Justice Team, on 4 December 2026",
    ),
    ("h1", "1. Introduction"),
    (
        "p",
        "Northmoor Borough Council invites suitably qualified and experienced organisations to "
        "submit a Tender for the Northmoor Resettlement Support Service. The service will help "
        "adults who are leaving prison and returning to live in the borough to find somewhere safe "
        "to live, manage their money, get into work or training and stay in touch with the people "
        "who matter to them.",
    ),
    (
        "p",
        "This ITT sets out the information that Bidders require in order to prepare and submit a "
        "compliant Tender. It should be read in conjunction with the SQ (Document 02), the Service "
        "Specification (Document 03) and the Pricing Schedule and Summary of Contract Terms "
        "(Document 04), together with the Framework Agreement and the Call-off Contract, which are "
        "available on request from the Authority's e-tendering portal.",
    ),
    (
        "p",
        "The procurement is being conducted in accordance with the Procurement Act 2023 and the "
        "Authority's Contract Procedure Rules, and Bidders are advised that any failure to comply "
        "with the instructions contained in this ITT, including but not limited to the requirements "
        "relating to the format, content and timing of submissions, may result in the Tender being "
        "rejected prior to evaluation at the sole discretion of the Authority.",
    ),
    (
        "p",
        "This contract is being procured as a single lot. Organisations that are members of the "
        "Authority's Community Safety DPS should note that the contract is not being awarded "
        "through the DPS and that membership of the DPS gives no advantage in this procurement.",
    ),
    ("h1", "2. Background"),
    (
        "p",
        "Around 320 people are released from custody to addresses in Northmoor each year, most of "
        "them from HMP Fenwick and HMP Aldmoor. Many leave prison with nowhere settled to live, "
        "with no bank account or identification, and with debts that have built up while they were "
        "in custody.",
    ),
    (
        "p",
        "Until 2021, resettlement support in the borough was provided by the local CRC under its "
        "contract with HMPPS. Since the CRC contracts ended, the Probation Service has commissioned "
        "some resettlement support nationally, but local partners have told the Authority that "
        "there are gaps, particularly for people serving short sentences, women, and people who "
        "are released on a Friday or without notice from court.",
    ),
    (
        "p",
        "The service is funded by the Authority with a contribution from the ICB, which recognises "
        "that stable housing and income are closely linked to the health of people leaving "
        "prison. The current service is provided by Moorside Futures Trust under a contract that "
        "expires on 31 March 2027.",
    ),
    ("h1", "3. The contract"),
    ("h2", "3.1 Value"),
    (
        "p",
        "The estimated value of the contract is £85,000 per year (excluding VAT). The total "
        "estimated value over the maximum possible term of five years is £425,000 (excluding VAT). "
        "Tenders with an annual price above £85,000 will not be considered.",
    ),
    ("h2", "3.2 Duration"),
    (
        "p",
        "The contract will run for 3 years from 1 April 2027, with an option to extend for up to 2 "
        "further years of 12 months. Any extension is at the sole discretion of the Authority and "
        "will be subject to satisfactory performance against the KPIs set out in the Service "
        "Specification.",
    ),
    ("h2", "3.3 Form of contract"),
    (
        "p",
        "The successful Bidder will be required to enter into a Call-off Contract under the "
        "Framework Agreement. The main terms are summarised in Part B of Document 04 and are set "
        "out in full in the Call-off Contract. Bidders should note that the Call-off Contract "
        "incorporates the schedules of the Framework Agreement by reference, including the SLA at "
        "Schedule 3 of the Framework Agreement.",
    ),
    ("h2", "3.4 Staff transfer"),
    (
        "p",
        "The Transfer of Undertakings (Protection of Employment) Regulations 2006 (TUPE) may apply "
        "to this contract. Bidders must take their own legal advice on whether TUPE applies and "
        "on its cost. The information currently available about the staff of the current provider "
        "is set out in section 7 of the Service Specification.",
    ),
    ("h1", "4. Instructions for Bidders"),
    ("h2", "4.1 Timetable"),
    (
        "table",
        ["Activity", "Date"],
        [
            ["ITT published on the e-tendering portal", "4 December 2026"],
            ["Bidder information session (online)", "[insert date]"],
            ["Deadline for clarification questions", "17:00 on 5 January 2027"],
            ["Final responses to clarification questions published", "8 January 2027"],
            ["Tender deadline", "12:00 noon on 15 January 2027"],
            ["Evaluation and moderation", "18 January to 12 February 2027"],
            ["Notice of intention to award and start of standstill period", "TBC"],
            ["Contract award", "March 2027"],
            ["Mobilisation", "March 2027"],
            ["Service start date", "1 April 2027"],
        ],
    ),
    (
        "p",
        "Tenders must be submitted by 12:00 noon on 15 January 2027 through the Authority's "
        "e-tendering portal. Tenders received after this time will not be opened. Tenders sent by "
        "email or post will not be accepted.",
    ),
    (
        "p",
        "The timetable is indicative and may be subject to change. The Authority reserves the right "
        "to amend the timetable at any time and any such change will be notified to all Bidders "
        "via the portal.",
    ),
    ("h2", "4.2 Clarification questions"),
    (
        "p",
        "Bidders may ask questions about this procurement through the messaging function of the "
        "portal. Questions must be received no later than 17:00 on 5 January 2027; questions "
        "received after this deadline will not be answered.",
    ),
    (
        "p",
        "Questions and answers will be anonymised and published to all Bidders, unless the Authority "
        "agrees that a question is commercially sensitive, in which case the Bidder will be given "
        "the opportunity to withdraw the question before any answer is published, and it is the "
        "responsibility of each Bidder to check the portal regularly for clarifications, because "
        "the Authority will not accept that a Bidder was unaware of a published answer.",
    ),
    ("h2", "4.3 Submission requirements"),
    ("p", "A complete Tender consists of:"),
    (
        "bullets",
        [
            "the completed SQ, including the responses to the quality questions in Parts 3 and 4;",
            "the evidence documents listed in Parts 5 and 6 of the SQ;",
            "the completed Pricing Schedule (Appendix B of Document 04); and",
            "the signed Form of Tender (Appendix C of Document 04).",
        ],
    ),
    (
        "p",
        "Responses must be typed in Arial 11 point or larger. Any text that exceeds a stated word "
        "limit will be disregarded and only the text within the limit will be evaluated. Documents "
        "that are not requested will not be read.",
    ),
    ("h2", "4.4 Conditions of participation"),
    (
        "p",
        "Bidders must meet the conditions of participation set out in Parts 2, 5 and 6 of the SQ. "
        "These are assessed on a pass/fail basis. A Bidder that fails any condition of "
        "participation will be excluded and its quality and price responses will not be evaluated.",
    ),
    ("h1", "5. Evaluation"),
    (
        "p",
        "Tenders will be evaluated to identify the Most Advantageous Tender. The MEAT approach used "
        "in the Authority's earlier procurements has been replaced, but the principles are broadly "
        "similar. The weightings are:",
    ),
    (
        "table",
        ["Criterion", "Weighting"],
        [
            ["Quality (SQ Parts 3 and 4)", "60%"],
            ["Price (Pricing Schedule)", "40%"],
            ["Total", "100%"],
        ],
    ),
    (
        "p",
        "Each scored quality question will be marked by an evaluation panel on a scale of 0–5, "
        "as described below, and the score will then be multiplied by the weighting for that "
        "question.",
    ),
    (
        "table",
        ["Score", "Description"],
        [
            [
                "5",
                "Excellent. The response fully meets the requirement and gives strong evidence and detail.",
            ],
            [
                "4",
                "Good. The response meets the requirement with good evidence and only minor gaps.",
            ],
            ["3", "Satisfactory. The response meets the requirement but with limited evidence."],
            ["2", "Weak. The response only partly meets the requirement."],
            ["1", "Poor. The response gives little confidence that the requirement will be met."],
            ["0", "Unacceptable. No response, or the response does not address the question."],
        ],
    ),
    (
        "p",
        "A minimum score of 2 is required for each scored quality question. Notwithstanding its "
        "overall score, any Bidder that scores 0 or 1 on any quality question will be excluded from "
        "the process.",
    ),
    (
        "p",
        "Price will be scored by dividing the lowest compliant annual price by the Bidder's annual "
        "price and multiplying the result by 40. The method is explained in Part A of Document 04.",
    ),
    (
        "p",
        "Following evaluation, all Bidders will be notified of the outcome and the Authority will "
        "observe a standstill period of eight Working Days before entering into the contract, "
        "during which time unsuccessful Bidders may request further information about the reasons "
        "for the decision, although the Authority will not enter into correspondence about the "
        "scores awarded to other Bidders.",
    ),
    ("h1", "6. Mobilisation"),
    (
        "p",
        "The successful Bidder will be expected to commence mobilisation immediately following "
        "contract award and to utilise the mobilisation period to recruit staff, agree referral "
        "pathways with the Probation Service and the prisons, set up data sharing arrangements and "
        "secure premises, so that the service is fully operational on 1 April 2027. A mobilisation "
        "plan must be submitted in response to question 4.3 of the SQ.",
    ),
    (
        "p",
        "A mobilisation meeting will be held within 10 Working Days of contract award. Progress "
        "will be reviewed fortnightly until the service starts.",
    ),
    ("h1", "7. Other conditions"),
    (
        "p",
        "The Authority will not be liable for any costs incurred by Bidders in preparing or "
        "submitting a Tender, or in attending any meeting or presentation, whether or not the "
        "procurement is completed.",
    ),
    (
        "p",
        "Any attempt by a Bidder to canvass any member, officer or employee of the Authority in "
        "relation to this procurement, or to obtain information about any other Tender, will "
        "result in disqualification.",
    ),
    (
        "p",
        "The Authority is subject to the Freedom of Information Act 2000. Bidders should identify "
        "any information in their Tender that they consider to be commercially sensitive and "
        "explain why, although the final decision on disclosure rests with the Authority.",
    ),
    (
        "p",
        "The Authority reserves the right to cancel the procurement at any stage, to award no "
        "contract, or to award a contract for part of the service only, and Bidders acknowledge "
        "that the issue of this ITT does not commit the Authority to award any contract.",
    ),
    ("h1", "8. Glossary"),
    ("p", "In this ITT the following terms have the meanings given below."),
    (
        "table",
        ["Term", "Meaning"],
        [
            ["Authority", "Northmoor Borough Council."],
            ["Bidder", "An organisation that submits a Tender in response to this ITT."],
            [
                "Call-off",
                "An order for services placed under a framework agreement. The Call-off Contract "
                "is the contract formed when such an order is placed.",
            ],
            [
                "Most Advantageous Tender",
                "The Tender that best meets the Authority's award criteria, taking account of both "
                "quality and price.",
            ],
            [
                "Service User",
                "An adult aged 18 or over who has been released from prison and lives, or intends "
                "to live, in the borough of Northmoor.",
            ],
            [
                "Tender",
                "A Bidder's complete response to this ITT, including the SQ, the quality responses "
                "and the Pricing Schedule.",
            ],
            [
                "TUPE",
                "The rules that may protect the jobs and terms of employment of staff when a "
                "service moves from one provider to another.",
            ],
        ],
    ),
    (
        "p",
        "Framework Agreement means the agreement between the Authority and the providers appointed "
        "to the Northmoor Community Services Framework, under which Call-off Contracts are awarded.",
    ),
    (
        "p",
        '"Working Day" means any day other than a Saturday, a Sunday or a public holiday in England.',
    ),
]


# --------------------------------------------------------------------------------------------
# 02 Selection Questionnaire
# --------------------------------------------------------------------------------------------

PASS_FAIL = "This question is Pass/Fail."

SQ = [
    ("title", "Selection Questionnaire"),
    ("p", "Northmoor Resettlement Support Service"),
    ("h1", "How to complete this SQ"),
    (
        "p",
        "Answer every question. Where a question has a word, character or page limit, anything "
        "beyond the limit will not be read. Where a question is marked Pass/Fail, a 'Fail' means "
        "that your Tender will be excluded and will not be evaluated further.",
    ),
    (
        "p",
        "Attach documents where asked, naming each file with the question number, for example "
        "'Q6.1 Safeguarding policy'. Scored questions are marked using the 0 to 5 scale in section "
        "5 of the ITT.",
    ),
    ("h1", "Part 1: About your organisation"),
    (
        "table",
        ["Ref", "Information required", "Response"],
        [
            ["1.1", "Full legal name of your organisation", ""],
            ["1.2", "Registered address", ""],
            ["1.3", "Company number and/or registered charity number", ""],
            [
                "1.4",
                "Legal form (for example, charitable incorporated organisation, company limited "
                "by guarantee or community interest company)",
                "",
            ],
            [
                "1.5",
                "Name, role, email address and telephone number of the contact for this Tender",
                "",
            ],
            [
                "1.6",
                "If you are bidding as a consortium or using subcontractors, the name of each "
                "member or subcontractor and the services it will deliver",
                "",
            ],
        ],
    ),
    ("h1", "Part 2: Exclusion grounds"),
    (
        "p",
        "A 'Yes' answer to any question in this part may lead to exclusion unless you can show "
        "that you have taken sufficient steps to put things right.",
    ),
    ("h2", "Q2.1 Convictions"),
    (
        "p",
        "Has your organisation, or any person with powers of representation, decision or control "
        "in it, been convicted of any of the offences listed in Schedule 6 to the Procurement Act "
        "2023? Answer Yes or No. " + PASS_FAIL,
    ),
    ("h2", "Q2.2 Insolvency"),
    (
        "p",
        "Is your organisation bankrupt or insolvent, being wound up, or subject to any similar "
        "arrangement? Answer Yes or No. " + PASS_FAIL,
    ),
    ("h2", "Q2.3 Tax and social security"),
    (
        "p",
        "Has your organisation failed to pay taxes or social security contributions that it owed "
        "at any time in the last 5 years? Answer Yes or No. " + PASS_FAIL,
    ),
    ("h1", "Part 3: Technical and professional ability"),
    (
        "p",
        "Answer each question in the table below. The word limit and weighting for each question "
        "are shown. Weightings are a share of the total score for the whole Tender.",
    ),
    (
        "table",
        ["Ref", "Question", "Word limit", "Weighting"],
        [
            [
                "Q3.1",
                "Describe your experience of delivering similar services to adults leaving prison, "
                "or to other groups facing multiple disadvantage, in the last three years. Include "
                "the size and value of each contract.",
                "500 words",
                "10%",
            ],
            [
                "Q3.2",
                "Describe how you will engage Service Users who have not engaged with previous "
                "support, including people with experience of trauma, and how you will keep them "
                "engaged after release.",
                "750 words",
                "10%",
            ],
            [
                "Q3.3",
                "Describe your approach to safeguarding adults at risk, including how you will "
                "work with multi-agency public protection arrangements where they apply to a "
                "Service User.",
                "250 words",
                "5%",
            ],
            [
                "Q3.4",
                "Provide three case studies that show how your organisation has helped people to "
                "find settled accommodation or employment. Each case study must describe the "
                "person's needs, the support given and the outcome.",
                "1 side of A4 per case study",
                "5%",
            ],
        ],
    ),
    ("h1", "Part 4: Quality questions"),
    (
        "p",
        "Questions 4.1 to 4.8 are scored, except question 4.6, which is Pass/Fail. Diagrams and "
        "tables count towards the limit unless the question says otherwise.",
    ),
    ("h2", "Q4.1 Service delivery model"),
    (
        "p",
        "Describe the service delivery model you propose, including how Service Users will be "
        "supported in the 12 weeks before release and the 12 months after release, and how you "
        "will decide the level of support each person needs. Your response should be a maximum "
        "500 words. Weighting: 5%.",
    ),
    ("h2", "Q4.2 Partnership working"),
    (
        "p",
        "Explain how you will work with the Probation Service, Northmoor Housing Options, "
        "Jobcentre Plus, health services and other partners to avoid duplication and make sure "
        "that Service Users do not fall through the gaps between services.",
    ),
    ("p", "Word count: 750. Weighting: 5%."),
    ("h2", "Q4.3 Mobilisation"),
    (
        "p",
        "Set out your mobilisation plan, showing how the service will be fully operational on "
        "1 April 2027. Include recruitment, premises, case management systems, referral pathways "
        "and any staff transfer. Your answer must be no more than 1,000 words; you may add a "
        "Gantt chart, which will not count towards the word limit. Weighting: 5%.",
    ),
    ("h2", "Q4.4 Social value"),
    (
        "p",
        "Describe the social value you will deliver through this contract, for example by "
        "employing people with lived experience of the criminal justice system or by spending "
        "money with local businesses and charities (max. 250 words). Weighting: 5%.",
    ),
    ("h2", "Q4.5 Staffing"),
    (
        "p",
        "Provide a staffing structure showing every role funded by the contract, its hours and "
        "its line management, with a short description of how you will recruit, train and "
        "supervise staff and volunteers. Your response must not exceed 2 sides of A4. "
        "Weighting: 5%.",
    ),
    ("h2", "Q4.6 Information governance"),
    (
        "p",
        "Describe how you will keep Service Users' personal data secure and comply with data "
        "protection law, including your arrangements for secure email and for reporting data "
        "breaches to the Authority within 24 hours. Responses are limited to 5,000 characters "
        "including spaces. " + PASS_FAIL,
    ),
    ("h2", "Q4.7 Outcomes and improvement"),
    (
        "p",
        "Explain how you will measure the outcomes achieved for Service Users, report performance "
        "against the KPIs and use feedback from Service Users to improve the service. Maximum (X) "
        "sides of A4. Weighting: TBC.",
    ),
    ("h2", "Q4.8 Accessibility"),
    (
        "p",
        "Describe how you will make sure the service is accessible to Service Users with learning "
        "disabilities, neurodivergent people, people with low literacy or limited English, and "
        "people who live in the rural west of the borough. Weighting: 5%.",
    ),
    ("h1", "Part 5: Economic and financial standing"),
    ("p", "The questions in this part are conditions of participation."),
    ("h2", "Q5.1 Accounts"),
    (
        "p",
        "Provide your audited accounts for each of the last 3 financial years. " + PASS_FAIL,
    ),
    ("h2", "Q5.2 Turnover"),
    (
        "p",
        "Confirm that your organisation has had a minimum annual turnover of £250,000 in each of "
        "the last 2 financial years. " + PASS_FAIL,
    ),
    ("h2", "Q5.3 Credit report"),
    (
        "p",
        "The Authority will obtain a credit report on each Bidder from a commercial credit "
        "reference agency. A Bidder with a credit score below 50 out of 100 will fail this "
        "question. You may provide a statement explaining a low score, but the Authority is not "
        "obliged to take it into account. " + PASS_FAIL,
    ),
    ("h2", "Q5.4 Insurance"),
    ("p", "Provide copies of your current insurance certificates showing, as a minimum:"),
    (
        "bullets",
        [
            "employer's liability insurance of £5 million;",
            "public liability insurance of £5 million; and",
            "professional indemnity insurance of £1 million.",
        ],
    ),
    (
        "p",
        "If you do not hold this cover now, you must confirm that you will obtain it before the "
        "contract starts. " + PASS_FAIL,
    ),
    ("h1", "Part 6: Policies, certificates and other evidence"),
    (
        "p",
        "Attach each of the following. Policies must be dated, approved by your board or senior "
        "management, and reviewed within the last 2 years.",
    ),
    (
        "table",
        ["Ref", "Document to attach", "How it is assessed"],
        [
            ["Q6.1", "Safeguarding policy covering adults at risk and children", "Pass/Fail"],
            ["Q6.2", "Health and safety policy, including lone working arrangements", "Pass/Fail"],
            ["Q6.3", "Equality policy", "Pass/Fail"],
            ["Q6.4", "Current Cyber Essentials certificate", "Pass/Fail"],
            [
                "Q6.5",
                "CVs of key staff: the proposed service manager and senior caseworker, no more "
                "than 2 sides of A4 per CV",
                "Used to moderate the score for Q4.5",
            ],
            [
                "Q6.6",
                "2 references: contact details of two referees for contracts of a similar nature "
                "delivered in the last 3 years",
                "Not scored; referees may be contacted before contract award",
            ],
        ],
    ),
    ("h1", "Part 7: Declaration"),
    (
        "p",
        "I declare that, to the best of my knowledge, the answers submitted in this SQ are "
        "correct. I understand that the information will be used to assess my organisation's "
        "suitability to take part further in this procurement, and that the Authority may reject "
        "this SQ if any relevant question is not answered in full or if false or misleading "
        "information is provided.",
    ),
    (
        "table",
        ["Signed", "Name", "Position", "Date"],
        [["", "", "", ""]],
    ),
]


# --------------------------------------------------------------------------------------------
# 03 Service Specification
# --------------------------------------------------------------------------------------------

SPEC = [
    ("title", "Service Specification"),
    ("p", "Northmoor Resettlement Support Service"),
    ("h1", "1. Purpose of this specification"),
    (
        "p",
        "This specification describes the service that the Authority wishes to buy. It will form "
        "Schedule 1 of the Call-off Contract and should be read together with the ITT and the "
        "Framework Agreement. Where this specification conflicts with the Framework Agreement, the "
        "Framework Agreement takes precedence (see clause 2.3 of the Framework Agreement).",
    ),
    (
        "p",
        'In this specification, "the Provider" means the organisation that is awarded the '
        "contract. Questions about this specification must be raised as set out in section 4.2 of "
        "the ITT.",
    ),
    ("h1", "2. Background and need"),
    (
        "p",
        "People leaving prison face many barriers to settling back into the community. In the "
        "year to March 2026, almost a third of the people released to Northmoor had no settled "
        "accommodation on the night of their release, and fewer than one in five were in work six "
        "months later. Short sentences, late release dates and a lack of identity documents make "
        "it harder to plan ahead.",
    ),
    (
        "p",
        "The Probation Service, part of HMPPS, remains responsible for managing people on licence "
        "and for assessing risk. This service does not replace probation supervision; it provides "
        "practical and emotional support that helps people to comply with their licence and to "
        "build a settled life. The ICB funds a separate substance misuse service, with which the "
        "Provider will be expected to work closely.",
    ),
    ("h1", "3. Aims and outcomes"),
    ("p", "The service aims to:"),
    (
        "numbers",
        [
            "reduce the number of people who are homeless on the day they leave prison;",
            "increase the number of people in education, training or employment after release;",
            "help people to claim the benefits they are entitled to and to manage debt;",
            "support people to rebuild relationships with their families where it is safe to do so; and",
            "contribute to a reduction in reoffending in the borough.",
        ],
    ),
    ("h1", "4. Service description"),
    ("h2", "4.1 Who the service is for"),
    (
        "p",
        "The service is for adults aged 18 or over who are released from custody to an address in "
        "Northmoor, whether they were serving a sentence or held on remand, and whether or not they "
        "are subject to licence or post-sentence supervision. Priority must be given to:",
    ),
    (
        "bullets",
        [
            "people who will have no fixed address on release;",
            "people who have served a sentence of less than 12 months;",
            "women;",
            "care leavers aged 18 to 25; and",
            "people released at short notice, including directly from court.",
        ],
    ),
    ("h2", "4.2 Referrals"),
    (
        "p",
        "Referrals will be made by the Probation Service, by prison resettlement teams, by "
        "Northmoor Housing Options and by Service Users themselves. The Provider must accept "
        "self-referrals and must not require a referral form to be completed by a professional.",
    ),
    (
        "p",
        "Referral volumes are TBC. The Authority is working with the Probation Service to estimate "
        "the number of referrals and will publish an estimate as a clarification if one becomes "
        "available. Bidders should not assume any minimum or maximum number of referrals.",
    ),
    ("h2", "4.3 Support before release"),
    (
        "p",
        "The Provider will start working with each Service User up to 12 weeks before their "
        "release date. This will include at least one face-to-face meeting in the prison, normally "
        "at HMP Fenwick or HMP Aldmoor, and may include video calls where the prison allows them. "
        "Before release, the Provider will:",
    ),
    (
        "bullets",
        [
            "complete a needs assessment and agree a support plan with the Service User;",
            "make a homelessness application or referral to Northmoor Housing Options where needed;",
            "help the Service User to obtain identity documents and open a bank account;",
            "help the Service User to make an advance claim for Universal Credit; and",
            "arrange to meet the Service User at the prison gate on the day of release where this is "
            "safe and wanted.",
        ],
    ),
    ("h2", "4.4 Support after release"),
    (
        "p",
        "Support will continue for up to 12 months after release and will be flexible, with more "
        "contact in the first weeks when the risk of homelessness and reoffending is highest. The "
        "Provider will:",
    ),
    (
        "bullets",
        [
            "help Service Users to find and keep settled accommodation;",
            "give advice on benefits, debt and budgeting, or refer to a specialist adviser;",
            "help Service Users to find education, training, volunteering or paid work;",
            "support contact with families and children where this is safe and agreed with the "
            "Probation Service; and",
            "help Service Users to register with a GP and to attend health appointments.",
        ],
    ),
    ("h2", "4.5 Staffing"),
    (
        "p",
        "All staff and volunteers working with Service Users must have an enhanced Disclosure and "
        "Barring Service (DBS) check, renewed every 3 years. The Provider must ensure that no "
        "full-time caseworker holds a caseload of more than 25 Service Users at any one time, and "
        "that staff receive supervision at least once a month. The Provider is encouraged to "
        "employ people with lived experience of the criminal justice system.",
    ),
    ("h2", "4.6 Locations"),
    (
        "p",
        "The service must cover the whole borough. The Authority expects the Provider to operate "
        "from at least one accessible base in Northmoor town centre and to offer outreach in "
        "Aldby and the rural west of the borough. Premises are not provided by the Authority.",
    ),
    ("h2", "4.7 Safeguarding and public protection"),
    (
        "p",
        "The Provider must have safeguarding arrangements for adults and children that meet the "
        "standards of the Northmoor Safeguarding Adults Board. Where a Service User is managed "
        "under Multi-Agency Public Protection Arrangements (MAPPA), the Provider must share "
        "information with the Probation Service, attend MAPPA meetings when invited, and follow "
        "any restrictions that apply to the Service User.",
    ),
    ("h1", "5. Performance management"),
    (
        "p",
        "The Provider's performance will be monitored against the KPIs in the table below and "
        "reviewed at quarterly contract management meetings. The service levels and the remedies "
        "for poor performance are set out in the SLA (see Schedule 3 of the Framework Agreement).",
    ),
    (
        "table",
        ["KPI", "Measure", "Target", "Reported"],
        [
            ["KPI 1", "Referrals contacted within 2 Working Days of receipt", "95%", "Monthly"],
            [
                "KPI 2",
                "Service Users with a completed needs assessment and support plan before release",
                "80%",
                "Monthly",
            ],
            [
                "KPI 3",
                "Service Users in settled accommodation 3 months after release",
                "60%",
                "Quarterly",
            ],
            [
                "KPI 4",
                "Service Users in education, training or employment 6 months after release",
                "30%",
                "Quarterly",
            ],
            [
                "KPI 5",
                "Service Users who say in an exit survey that the service helped them",
                "85%",
                "Quarterly",
            ],
            [
                "KPI 6",
                "Monthly report submitted within 10 Working Days of the end of the month",
                "100%",
                "Monthly",
            ],
        ],
    ),
    (
        "p",
        "Where the Provider fails to meet a KPI for two consecutive quarters, the Authority may "
        "require a performance improvement plan and, notwithstanding any other right or remedy "
        "available to it, may withhold up to 5% of the quarterly payment in accordance with the "
        "payment mechanism set out in Schedule 2 of the Framework Agreement.",
    ),
    ("h1", "6. Data and reporting"),
    (
        "p",
        "The Provider will process personal data on behalf of the Authority in accordance with "
        "the UK General Data Protection Regulation (UK GDPR) and the Data Protection Act 2018. "
        "The data processing arrangements are set out in Schedule 5 (Data Processing) of the "
        "Call-off Contract.",
    ),
    (
        "p",
        "The Provider must record all activity on a case management system that can produce the "
        "reports listed in Appendix A to this specification. Appendix A will be issued before the "
        "tender deadline.",
    ),
    ("h1", "7. TUPE"),
    (
        "p",
        "The Authority understands that TUPE may apply. The current provider, Moorside Futures "
        "Trust, has told the Authority that three staff spend all or most of their working time on "
        "the existing service. Anonymised employee liability information, including salaries, "
        "pension arrangements and length of service, has not yet been provided by the current "
        "provider and will be shared with Bidders as soon as it is received.",
    ),
    (
        "p",
        "Bidders must state in the Pricing Schedule whether they have allowed for the cost of "
        "TUPE. No change to the price will be agreed after contract award on the grounds that "
        "TUPE does or does not apply.",
    ),
    ("h1", "8. Contract management"),
    (
        "p",
        "The Provider must name a contract manager who will attend quarterly contract management "
        "meetings with the Authority and an annual review, to which the Probation Service and "
        "Service User representatives will be invited. The mobilisation arrangements described in "
        "section 6 of the ITT apply.",
    ),
    ("h1", "9. Exit"),
    (
        "p",
        "At the end of the contract the Provider must cooperate with the Authority and any "
        "incoming provider, transfer all case records securely and in good time, and make sure "
        "that no Service User is left without support during the handover. An exit plan must be "
        "agreed with the Authority within 6 months of the service start date.",
    ),
]


# --------------------------------------------------------------------------------------------
# 04 Pricing and terms (PDF). Latin-1 only: the PDF uses a core font.
# --------------------------------------------------------------------------------------------

PRICING = [
    ("title", "Pricing Schedule and Summary of Contract Terms"),
    ("p", "Northmoor Resettlement Support Service - Document 04"),
    ("h1", "Part A: Pricing instructions"),
    (
        "clause",
        "1. Pricing Schedule",
        "Bidders must complete the Pricing Schedule at Appendix B, which is a separate workbook "
        "on the e-tendering portal, and enter the same annual prices in the table below. If the "
        "two differ, the Pricing Schedule at Appendix B will prevail.",
    ),
    (
        "clause",
        "2. Currency and VAT",
        "Prices must be quoted in pounds sterling (GBP), exclusive of VAT, as a fixed annual "
        "price for each contract year.",
    ),
    (
        "clause",
        "3. Maximum budget",
        "The maximum annual budget is £85,000 (excluding VAT). Any Tender with an annual price "
        "above £85,000 in any contract year will be rejected and will not be evaluated further.",
    ),
    (
        "clause",
        "4. What the price must include",
        "Prices must include all costs of delivering the service, including staff, premises, "
        "travel, training, case management systems, overheads, mobilisation and any costs "
        "arising from TUPE. No other payments will be made.",
    ),
    (
        "clause",
        "5. Price changes",
        "Prices will be fixed for the first two contract years. From the third contract year, the "
        "annual price may be increased by no more than the Consumer Prices Index (CPI) rate "
        "published for the preceding September, subject to the agreement of the Authority.",
    ),
    (
        "table",
        ["Contract year", "Period", "Annual price (GBP, excluding VAT)"],
        [
            ["Year 1", "1 April 2027 to 31 March 2028", ""],
            ["Year 2", "1 April 2028 to 31 March 2029", ""],
            ["Year 3", "1 April 2029 to 31 March 2030", ""],
            ["Year 4 (optional extension)", "1 April 2030 to 31 March 2031", ""],
            ["Year 5 (optional extension)", "1 April 2031 to 31 March 2032", ""],
        ],
    ),
    (
        "clause",
        "6. Price evaluation",
        "The price score will be calculated as follows: price score = (lowest compliant annual "
        "price / Bidder's annual price) x 40. The annual price used is the average of the prices "
        "for Years 1 to 3.",
    ),
    (
        "clause",
        "7. Abnormally low prices",
        "Where a price appears abnormally low, the Authority will ask the Bidder to explain it and "
        "may reject the Tender if the explanation is not satisfactory.",
    ),
    (
        "clause",
        "8. Payment",
        "Payment will be made monthly in arrears within 30 days of receipt of a valid invoice. Ten "
        "per cent of the annual price will be paid quarterly as an outcome payment, in proportion "
        "to performance against KPI 3 and KPI 4 of the Service Specification. Bidders should note "
        "that, because payment is made in arrears, the Provider will need to fund mobilisation and "
        "the first month of delivery from its own resources.",
    ),
    ("h1", "Part B: Summary of key contract terms"),
    (
        "p",
        "This part summarises some of the main terms of the Call-off Contract. It does not replace "
        "the Call-off Contract, which takes precedence, and Bidders should read the full terms "
        "(see clauses 14 to 31 of the Call-off Contract and Schedule 2 of the Framework "
        "Agreement). Capitalised terms that are not defined in this document have the meanings "
        "given to them in the Call-off Contract.",
    ),
    (
        "clause",
        "9. Indemnity",
        "The Provider shall indemnify and keep indemnified the Authority against all losses, "
        "claims, demands, liabilities, costs and expenses howsoever arising out of or in "
        "connection with the performance or non-performance of the Services, save to the extent "
        "that they are caused by the negligence or wilful default of the Authority.",
    ),
    (
        "clause",
        "10. Limitation of liability",
        "Each party's total aggregate liability arising under or in connection with the Contract "
        "shall be limited to 125% of the total Charges paid or payable in the Contract Year in "
        "which the liability arises, save that the Provider's liability for losses arising from "
        "any breach of data protection legislation, under the TUPE indemnity or for death or "
        "personal injury caused by negligence shall be unlimited.",
    ),
    (
        "clause",
        "11. Liquidated damages",
        "If the Services are not fully operational on the Service Commencement Date, the Provider "
        "shall pay the Authority liquidated damages of £250 for each Working Day of delay, up to "
        "a maximum of £10,000. The parties agree that this sum is a genuine pre-estimate of the "
        "loss that the Authority would suffer.",
    ),
    (
        "clause",
        "12. Force majeure",
        "Neither party shall be liable for any failure or delay in performing its obligations "
        "where such failure or delay results from a Force Majeure Event, provided that the "
        "affected party notifies the other party in writing within 5 Working Days and uses all "
        "reasonable endeavours to mitigate its effects. Where a Force Majeure Event continues for "
        "more than 60 days, either party may terminate the Contract by giving 30 days' written "
        "notice.",
    ),
    (
        "clause",
        "13. Parent company guarantee",
        "Where the Provider is a subsidiary of another organisation, or where the Authority is "
        "not satisfied with the Provider's financial standing following the checks in Part 5 of "
        "the SQ, the Authority may require a parent company guarantee in the form set out in "
        "Schedule 9 of the Framework Agreement, to be delivered prior to the Service Commencement "
        "Date.",
    ),
    (
        "clause",
        "14. Performance bond",
        "The Authority may require the Provider to provide a performance bond from a bank or "
        "insurer approved by the Authority, for an amount equal to 10% of the annual contract "
        "price, to be maintained for the duration of the Contract and any extension thereof.",
    ),
    (
        "clause",
        "15. Employment",
        "The Provider shall indemnify the Authority and any replacement provider against all "
        "Employment Liabilities arising from the employment or termination of employment of any "
        "person employed in the Services, whether before, on or after the transfer date.",
    ),
    (
        "clause",
        "16. Termination",
        "The Authority may terminate the Contract for convenience at any time by giving the "
        "Provider not less than 3 months' written notice. No compensation shall be payable for "
        "loss of profit or for the unexpired term. The Authority may terminate the Contract with "
        "immediate effect for material breach, insolvency or persistent failure to meet the KPIs.",
    ),
    (
        "clause",
        "17. Step-in",
        "Where the Authority reasonably believes that the Services are not being delivered safely, "
        "it may step in and take over the delivery of all or part of the Services, itself or "
        "through a third party, and the Provider shall bear the reasonable costs of doing so.",
    ),
    (
        "clause",
        "18. Set-off",
        "The Authority may set off any sum owed to it by the Provider against any sum that the "
        "Authority owes to the Provider under the Contract or any other contract.",
    ),
    (
        "clause",
        "19. Subcontracting",
        "The Provider shall not subcontract any part of the Services without the prior written "
        "consent of the Authority, which may be withheld at the Authority's absolute discretion.",
    ),
    (
        "clause",
        "20. Insurance",
        "The Provider shall maintain the insurances set out in question 5.4 of the SQ for the "
        "duration of the Contract and, in the case of professional indemnity insurance, for 6 "
        "years after it ends.",
    ),
    (
        "clause",
        "21. Records and audit",
        "The Provider shall keep full and accurate records of the Services and of all payments "
        "made under the Contract for 7 years after it ends, and shall give the Authority and its "
        "auditors access to them on request.",
    ),
    (
        "clause",
        "22. Governing law",
        "The Contract shall be governed by the law of England and Wales, and the courts of England "
        "and Wales shall have exclusive jurisdiction.",
    ),
    ("h1", "Part C: Acceptance of terms"),
    (
        "p",
        "Bidders who are unable to accept any of these terms must say so in their Tender and "
        "explain why. Tenders that are qualified or conditional may be rejected. The signed Form "
        "of Tender at Appendix C confirms that the Bidder accepts the terms of the Call-off "
        "Contract in full.",
    ),
]


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------


# A second, smaller pack that plainbid's scorer calls proportionate: a larger contract, a few
# questions with sensible limits, every fact an applicant needs, and terms defined.
PROPORTIONATE = HERE / "proportionate"

MENTORING_ITT = [
    ("title", "Invitation to Tender: Community Mentoring Service"),
    ("h1", "1. What we are buying"),
    (
        "p",
        "Northmoor Borough Council wants an organisation to run a mentoring service for young "
        "adults aged 18 to 25 who live in Northmoor and have been in trouble with the police. "
        "Mentors meet each young adult every week for up to a year and help them into work, "
        "training or volunteering.",
    ),
    (
        "p",
        "We expect about 120 referrals a year, mostly from the youth justice team and the "
        "Probation Service. The service will work from community venues across the borough.",
    ),
    ("h1", "2. The contract"),
    (
        "p",
        "The estimated value of the contract is £400,000 per year (excluding VAT). The contract "
        "runs for 4 years from 1 July 2027.",
    ),
    (
        "p",
        "No staff will transfer to the new provider: this is a new service, so the rules on "
        "staff transfer do not apply.",
    ),
    ("h1", "3. Timetable"),
    (
        "table",
        ["What happens", "When"],
        [
            ["Invitation to Tender published", "1 March 2027"],
            ["Deadline for clarification questions", "5 April 2027"],
            ["Tender deadline", "12:00 noon on 19 April 2027"],
            ["Contract start", "1 July 2027"],
        ],
    ),
    ("h1", "4. How we will score your bid"),
    (
        "p",
        "We will score quality at 60% and price at 40%. Each quality answer is marked from 0 "
        "to 5 by three people, who then agree a mark together.",
    ),
    ("h1", "5. Words we use"),
    (
        "table",
        ["Term", "Meaning"],
        [
            ["Tender", "Your bid: your answers to our questions and your price."],
            ["Referral", "When another service asks us to offer a young adult a mentor."],
        ],
    ),
]

MENTORING_QUESTIONS = [
    ("title", "Questions for applicants"),
    (
        "p",
        "Please answer the four questions below. Each answer has a word limit; we will not read "
        "past it.",
    ),
    (
        "table",
        ["Ref", "Question", "Word limit", "Weighting"],
        [
            [
                "Q1",
                "Describe how you will recruit, train and support volunteer mentors.",
                "500 words",
                "20%",
            ],
            [
                "Q2",
                "Describe how you will keep young adults engaged for the whole year.",
                "500 words",
                "20%",
            ],
            [
                "Q3",
                "Explain how you will keep young adults and mentors safe.",
                "500 words",
                "10%",
            ],
            [
                "Q4",
                "Tell us how you will work with local employers and colleges.",
                "300 words",
                "10%",
            ],
        ],
    ),
    (
        "p",
        "You do not need to send us policies or certificates now. The organisation we choose "
        "will show us its safeguarding policy and insurance before the contract starts.",
    ),
]


def smart_quotes(text: str) -> str:
    """Typographic quotes, as Word's autocorrect would type them."""
    text = re.sub(r"(?<=\w)'", "\u2019", text)
    text = re.sub(r"'(?=\w)", "\u2018", text)
    text = text.replace("'", "\u2019")
    text = re.sub(r'"(?=\w)', "\u201c", text)
    return text.replace('"', "\u201d")


def build_docx(blocks: list, path: Path, title: str, footer: str) -> None:
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)

    section = doc.sections[0]
    section.header.paragraphs[0].text = HEADER
    section.footer.paragraphs[0].text = footer

    for block in blocks:
        kind = block[0]
        if kind == "title":
            doc.add_heading(smart_quotes(block[1]), level=0)
        elif kind == "h1":
            doc.add_heading(smart_quotes(block[1]), level=1)
        elif kind == "h2":
            doc.add_heading(smart_quotes(block[1]), level=2)
        elif kind == "p":
            doc.add_paragraph(smart_quotes(block[1]))
        elif kind in ("bullets", "numbers"):
            style = "List Bullet" if kind == "bullets" else "List Number"
            for item in block[1]:
                doc.add_paragraph(smart_quotes(item), style=style)
        elif kind == "table":
            header, rows = block[1], block[2]
            table = doc.add_table(rows=1 + len(rows), cols=len(header))
            table.style = "Table Grid"
            for col, text in enumerate(header):
                cell = table.rows[0].cells[col]
                cell.text = smart_quotes(text)
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for r, row in enumerate(rows, start=1):
                for col, text in enumerate(row):
                    table.rows[r].cells[col].text = smart_quotes(text)
            doc.add_paragraph()
        else:
            raise ValueError(f"unknown block {kind!r}")

    props = doc.core_properties
    props.title = title
    props.subject = "Northmoor Resettlement Support Service"
    props.author = "Community Safety and Justice Team"
    props.last_modified_by = "Community Safety and Justice Team"
    props.comments = "Fictional example built by plainbid examples/build_examples.py"
    props.keywords = "tender; resettlement; example"
    props.category = ""
    props.created = DOC_DATE
    props.modified = DOC_DATE
    props.last_printed = DOC_DATE
    props.revision = 1

    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(_normalise_zip(buffer.getvalue()))


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps, so that rebuilding gives the same bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(member.filename))
    return out.getvalue()


class _PackPDF(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(w=0, h=10, text=f"Page {self.page_no()} of {{nb}} - Northmoor BC", align="C")


def build_pdf(blocks: list, path: Path) -> None:
    pdf = _PackPDF(format="A4")
    pdf.set_creation_date(PDF_DATE)
    pdf.set_title("Pricing Schedule and Summary of Contract Terms")
    pdf.set_author("Northmoor Borough Council")
    pdf.set_subject("Northmoor Resettlement Support Service")
    pdf.set_lang("en-GB")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()

    def para(text: str, size: float = 10, style: str = "", gap: float = 2) -> None:
        text.encode("latin-1")  # core fonts cover Latin-1 only; fail loudly otherwise
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(w=0, h=size * 0.5, text=text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    def keep_with_next(height: float) -> None:
        # A heading must not be left alone at the foot of a page.
        if pdf.get_y() + height > pdf.h - pdf.b_margin:
            pdf.add_page()

    for block in blocks:
        kind = block[0]
        if kind == "title":
            para(block[1], size=16, style="B", gap=1)
        elif kind == "h1":
            keep_with_next(25)
            pdf.ln(2)
            para(block[1], size=12, style="B", gap=1)
        elif kind == "p":
            para(block[1])
        elif kind == "clause":
            keep_with_next(20)
            para(block[1], size=10, style="B", gap=0)
            para(block[2])
        elif kind == "table":
            header, rows = block[1], block[2]
            pdf.set_font("Helvetica", size=9)
            with pdf.table(col_widths=(45, 65, 60), text_align="LEFT", line_height=5) as table:
                for row in [header, *rows]:
                    cells = table.row()
                    for text in row:
                        cells.cell(text)
            pdf.ln(3)
        else:
            raise ValueError(f"unknown block {kind!r}")

    pdf.output(str(path))


def main() -> int:
    PACK.mkdir(exist_ok=True)
    build_docx(ITT, PACK / "01-invitation-to-tender.docx", "Invitation to Tender", "ITT v1.2")
    build_docx(SQ, PACK / "02-selection-questionnaire.docx", "Selection Questionnaire", "SQ v1.1")
    build_docx(
        SPEC, PACK / "03-specification.docx", "Service Specification", "Specification v0.9 DRAFT"
    )
    build_pdf(PRICING, PACK / "04-pricing-and-terms.pdf")
    PROPORTIONATE.mkdir(exist_ok=True)
    build_docx(
        MENTORING_ITT, PROPORTIONATE / "01-invitation-to-tender.docx", "Invitation to Tender", "ITT"
    )
    build_docx(
        MENTORING_QUESTIONS, PROPORTIONATE / "02-questions.docx", "Questions for applicants", "Q"
    )
    for path in sorted([*PACK.iterdir(), *PROPORTIONATE.iterdir()]):
        print(f"{path.relative_to(HERE.parent)}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
