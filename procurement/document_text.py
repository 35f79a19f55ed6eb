"""Fixed wording of the tender documents, in French, Dutch and English (one tuple per key).

Why a table here rather than the UI catalogue: a tender document is a legal text in ONE language
chosen per document, independent of the reader's interface language; it must be complete in all
three languages at every release (a test checks every key), whereas the UI catalogues are filled
by a later translator pass and may lag. The terms follow shared/GLOSSARY.md. Pure module.
"""
from __future__ import annotations

from typing import Any

LANGS = ("fr", "nl", "en")

TEXT: dict[str, tuple[str, str, str]] = {
    "doc_kind": ("Cahier spécial des charges", "Bestek", "Special specifications (tender documents)"),
    "reference": ("Référence", "Referentie", "Reference"),
    "joint_title": ("Marché conjoint (groupement de commandes)", "Gezamenlijke opdracht",
                    "Joint procurement"),
    "joint_intro": ("Le pouvoir adjudicateur mène ce marché en son nom et au nom des pouvoirs "
                    "adjudicateurs participants suivants ; chacun conclut le marché pour sa part.",
                    "De aanbestedende overheid voert deze opdracht in eigen naam en in naam van de "
                    "volgende deelnemende aanbestedende overheden; elk sluit de opdracht voor zijn "
                    "deel.", "The contracting authority runs this tender in its own name and on "
                    "behalf of the following participating authorities; each concludes the contract "
                    "for its share."),
    "joint_participant": ("Pouvoir adjudicateur participant", "Deelnemende aanbestedende overheid",
                          "Participating authority"),
    "joint_share": ("Part du lot attribué", "Aandeel in het gegunde perceel", "Share of the awarded lot"),
    "joint_quantity": ("Quantité estimée", "Geraamde hoeveelheid", "Estimated quantity"),
    "joint_lead_rest": ("Le reste de chaque lot revient au pouvoir adjudicateur pilote.",
                        "De rest van elk perceel komt toe aan de leidende aanbestedende overheid.",
                        "The rest of each lot goes to the lead authority."),
    "joint_group_value": ("Valeur estimée de l'ensemble du groupement", "Geraamde waarde van de "
                          "hele groep", "Estimated value of the whole group"),
    "authority": ("Pouvoir adjudicateur", "Aanbestedende overheid", "Contracting authority"),
    "version": ("Version", "Versie", "Version"),
    "generated": ("Date du document", "Datum van het document", "Document date"),
    "status_draft": ("projet", "ontwerp", "draft"),
    "status_published": ("publié", "gepubliceerd", "published"),
    "page": ("Page", "Pagina", "Page"),
    "toc": ("Table des matières", "Inhoudstafel", "Table of contents"),
    "toc_docx": ("Mettez à jour la table des matières (clic droit, « Mettre à jour les champs »).",
                 "Werk de inhoudstafel bij (rechtsklik, ‘Velden bijwerken’).",
                 "Update the table of contents (right-click, ‘Update field’)."),
    "part_admin": ("Partie administrative", "Administratieve bepalingen", "Administrative part"),
    "authority_section": ("Pouvoir adjudicateur", "Aanbestedende overheid", "Contracting authority"),
    "enterprise_number": ("Numéro d'entreprise (BCE)", "Ondernemingsnummer (KBO)", "Enterprise number"),
    "municipality": ("Commune", "Gemeente", "Municipality"),
    "subject": ("Objet du marché", "Voorwerp van de opdracht", "Subject of the contract"),
    "nature": ("Nature du marché", "Aard van de opdracht", "Type of contract"),
    "nature_works": ("travaux", "werken", "works"),
    "nature_supplies": ("fournitures", "leveringen", "supplies"),
    "nature_services": ("services", "diensten", "services"),
    "social_services": ("Services sociaux et autres services spécifiques (annexe XIV de la directive "
                        "2014/24/UE)", "Sociale en andere specifieke diensten (bijlage XIV van "
                        "richtlijn 2014/24/EU)", "Social and other specific services (Annex XIV of "
                        "Directive 2014/24/EU)"),
    "cpv": ("Codes CPV", "CPV-codes", "CPV codes"),
    "place": ("Lieu d'exécution", "Plaats van uitvoering", "Place of performance"),
    "duration": ("Durée", "Looptijd", "Duration"),
    "months": ("{n} mois", "{n} maanden", "{n} months"),
    "estimated_value": ("Montant estimé (hors TVA)", "Geraamd bedrag (exclusief btw)",
                        "Estimated value (excl. VAT)"),
    "procedure_section": ("Procédure de passation", "Plaatsingsprocedure", "Award procedure"),
    "procedure": ("Procédure", "Procedure", "Procedure"),
    "legal_basis": ("Base légale", "Rechtsgrond", "Legal basis"),
    "publication": ("Publicité", "Bekendmaking", "Publication"),
    "publication_none": ("sans publication préalable", "zonder voorafgaande bekendmaking",
                         "without prior publication"),
    "publication_belgian": ("publication au Bulletin des Adjudications (niveau belge)",
                            "bekendmaking in het Bulletin der Aanbestedingen (Belgisch niveau)",
                            "publication in the Belgian Bulletin of Tenders (national level)"),
    "publication_eu": ("publication au Journal officiel de l'Union européenne et au Bulletin des "
                       "Adjudications", "bekendmaking in het Publicatieblad van de Europese Unie "
                       "en in het Bulletin der Aanbestedingen", "publication in the Official Journal "
                       "of the European Union and the Belgian Bulletin of Tenders"),
    "proc_low_value": ("marché de faible montant (facture acceptée)",
                       "opdracht van beperkte waarde (aanvaarde factuur)",
                       "low-value contract (accepted invoice)"),
    "proc_negotiated_no_publication": ("procédure négociée sans publication préalable",
                                       "onderhandelingsprocedure zonder voorafgaande bekendmaking",
                                       "negotiated procedure without prior publication"),
    "proc_open_national": ("procédure ouverte", "openbare procedure", "open procedure"),
    "proc_open_eu": ("procédure ouverte (publicité européenne)",
                     "openbare procedure (Europese bekendmaking)", "open procedure (EU publication)"),
    "procedure_differs": ("Procédure conseillée au vu des seuils : {advised}. Motivation du choix : ",
                          "Op basis van de drempels geadviseerde procedure: {advised}. Motivering "
                          "van de keuze: ", "Procedure advised from the thresholds: {advised}. "
                          "Reason for the choice: "),
    "lots": ("Lots", "Percelen", "Lots"),
    "lot": ("Lot {n}", "Perceel {n}", "Lot {n}"),
    "lot_number": ("Lot", "Perceel", "Lot"),
    "title": ("Intitulé", "Titel", "Title"),
    "reservation": ("Réservation", "Voorbehouden", "Reservation"),
    "reservation_none": ("ouvert à tous", "open voor iedereen", "open to all"),
    "reservation_art20": ("réservé aux entreprises de travail adapté et d'insertion (loi du 17 juin "
                          "2016, art. 15 ; directive 2014/24/UE, art. 20)", "voorbehouden aan "
                          "beschutte werkplaatsen en invoegbedrijven (wet van 17 juni 2016, art. 15; "
                          "richtlijn 2014/24/EU, art. 20)", "reserved for sheltered workshops and "
                          "insertion operators (law of 17 June 2016, art. 15; Directive 2014/24/EU, "
                          "art. 20)"),
    "reservation_art77": ("réservé à certains services (directive 2014/24/UE, art. 77)",
                          "voorbehouden voor bepaalde diensten (richtlijn 2014/24/EU, art. 77)",
                          "reserved for certain services (Directive 2014/24/EU, art. 77)"),
    "timeline": ("Calendrier", "Timing", "Timeline"),
    "publication_date": ("Publication", "Bekendmaking", "Publication"),
    "question_deadline": ("Date limite des questions", "Uiterste datum voor vragen",
                          "Deadline for questions"),
    "bid_deadline": ("Date limite de réception des offres", "Uiterste datum voor ontvangst van de "
                     "offertes", "Bid deadline"),
    "opening_at": ("Ouverture des offres", "Opening van de offertes", "Opening of bids"),
    "not_set": ("à fixer", "nog vast te leggen", "to be set"),
    "brussels_time": ("heure de Bruxelles", "Brusselse tijd", "Brussels time"),
    "at_time": ("{date} à {time}", "{date} om {time}", "{date} at {time}"),
    "part_criteria": ("Critères d'attribution", "Gunningscriteria", "Award criteria"),
    "criteria_weighted": ("Le marché est attribué à l'offre économiquement la plus avantageuse, sur "
                          "la base du meilleur rapport qualité-prix (loi du 17 juin 2016, art. 81). "
                          "Chaque critère est pondéré ; le total est de 100 points.",
                          "De opdracht wordt gegund aan de economisch meest voordelige offerte, op "
                          "basis van de beste prijs-kwaliteitsverhouding (wet van 17 juni 2016, "
                          "art. 81). Elk criterium wordt gewogen; het totaal is 100 punten.",
                          "The contract is awarded to the most economically advantageous tender, "
                          "on the best price-quality ratio (law of 17 June 2016, art. 81). Each "
                          "criterion is weighted; the total is 100 points."),
    "criteria_order": ("Les critères sont énumérés par ordre décroissant d'importance (loi du 17 juin "
                       "2016, art. 81). Justification : ", "De criteria worden in dalende volgorde "
                       "van belang vermeld (wet van 17 juni 2016, art. 81). Verantwoording: ",
                       "The criteria are listed in decreasing order of importance (law of 17 June "
                       "2016, art. 81). Justification: "),
    "criterion": ("Critère", "Criterium", "Criterion"),
    "kind": ("Type", "Soort", "Type"),
    "weight": ("Pondération", "Weging", "Weighting"),
    "rank": ("Rang", "Rang", "Rank"),
    "points": ("{n} points", "{n} punten", "{n} points"),
    "kind_price": ("prix", "prijs", "price"),
    "kind_quantity": ("quantité offerte", "aangeboden hoeveelheid", "quantity offered"),
    "kind_rating": ("appréciation qualitative", "kwalitatieve beoordeling", "quality assessment"),
    "formula": ("Formule", "Formule", "Formula"),
    "example": ("Exemple", "Voorbeeld", "Example"),
    "f_proportional": ("{w}prix le plus bas ÷ prix de l'offre", "{w}laagste prijs ÷ prijs van de "
                       "offerte", "{w}lowest price ÷ price of the bid"),
    "f_linear": ("{w}(prix le plus élevé − prix de l'offre) ÷ (prix le plus élevé − prix le plus bas)",
                 "{w}(hoogste prijs − prijs van de offerte) ÷ (hoogste prijs − laagste prijs)",
                 "{w}(highest price − price of the bid) ÷ (highest price − lowest price)"),
    "f_higher": ("{w}valeur de l'offre ÷ meilleure valeur offerte", "{w}waarde van de offerte ÷ "
                 "beste aangeboden waarde", "{w}value of the bid ÷ best value offered"),
    "f_lower": ("{w}plus petite valeur offerte ÷ valeur de l'offre", "{w}kleinste aangeboden "
                "waarde ÷ waarde van de offerte", "{w}smallest value offered ÷ value of the bid"),
    "f_rating": ("{w}note attribuée ÷ {scale}", "{w}toegekende score ÷ {scale}",
                 "{w}rating given ÷ {scale}"),
    "score_points": ("Points = ", "Punten = ", "Points = "),
    "score_unit": ("Score (de 0 à 1) = ", "Score (van 0 tot 1) = ", "Score (0 to 1) = "),
    "ex_proportional": ("prix le plus bas {low} EUR, offre à {bid} EUR", "laagste prijs {low} EUR, "
                        "offerte van {bid} EUR", "lowest price {low} EUR, bid at {bid} EUR"),
    "ex_linear": ("prix le plus bas {low} EUR, prix le plus élevé {high} EUR, offre à {bid} EUR",
                  "laagste prijs {low} EUR, hoogste prijs {high} EUR, offerte van {bid} EUR",
                  "lowest price {low} EUR, highest price {high} EUR, bid at {bid} EUR"),
    "ex_higher": ("meilleure offre {best} {unit}, offre à {bid} {unit}", "beste offerte {best} "
                  "{unit}, offerte met {bid} {unit}", "best bid {best} {unit}, bid with {bid} {unit}"),
    "ex_lower": ("meilleure offre {best} {unit}, offre à {bid} {unit}", "beste offerte {best} "
                 "{unit}, offerte met {bid} {unit}", "best bid {best} {unit}, bid with {bid} {unit}"),
    "ex_rating": ("note {bid} sur {scale}", "score {bid} op {scale}", "rating {bid} out of {scale}"),
    "scoring_grid": ("Grille de cotation", "Beoordelingsrooster", "Scoring grid"),
    "link_to_subject": ("Lien avec l'objet du marché", "Verband met het voorwerp van de opdracht",
                        "Link to the subject matter"),
    "no_criteria": ("Aucun critère n'est encore défini pour ce lot.", "Voor dit perceel zijn nog "
                    "geen criteria bepaald.", "No criteria are defined for this lot yet."),
    "part_clauses": ("Clauses sociales et conditions d'exécution", "Sociale clausules en "
                     "uitvoeringsvoorwaarden", "Social clauses and performance conditions"),
    "applies_to_all": ("Ensemble du marché", "Volledige opdracht", "Whole contract"),
    "clause_version": ("clause {id}, version {version}", "clausule {id}, versie {version}",
                       "clause {id}, version {version}"),
    "no_clauses": ("Aucune clause n'est sélectionnée.", "Er is geen clausule geselecteerd.",
                   "No clause is selected."),
    "insertion_section": ("Calcul des heures d'insertion", "Berekening van de inschakelingsuren",
                          "Calculation of the insertion hours"),
    "insertion_text": ("Montant estimé {amount} EUR × part de main-d'œuvre {share} × taux "
                       "d'insertion {rate} ÷ coût horaire chargé {cost} EUR = {hours} heures "
                       "(arrondi à l'heure inférieure).", "Geraamd bedrag {amount} EUR × "
                       "arbeidsaandeel {share} × inschakelingspercentage {rate} ÷ beladen uurkost "
                       "{cost} EUR = {hours} uur (naar beneden afgerond).", "Estimated value {amount}"
                       " EUR × labour share {share} × insertion rate {rate} ÷ loaded hourly cost "
                       "{cost} EUR = {hours} hours (rounded down)."),
    "social_clause_justification": ("Motivation de l'absence de clause sociale (circulaire du 16 "
                                    "mai 2014)", "Motivering van het ontbreken van een sociale "
                                    "clausule (omzendbrief van 16 mei 2014)", "Why no social clause "
                                    "is included (federal circular of 16 May 2014)"),
    "part_annexes": ("Annexes", "Bijlagen", "Annexes"),
    "annex_bid_form": ("Annexe A – Formulaire d'offre", "Bijlage A – Offerteformulier",
                       "Annex A – Bid form"),
    "bid_form_intro": ("Le soumissionnaire complète ce formulaire pour chaque lot auquel il "
                       "participe. Les engagements chiffrés deviennent contractuels.",
                       "De inschrijver vult dit formulier in voor elk perceel waarvoor hij "
                       "inschrijft. De becijferde verbintenissen worden contractueel.",
                       "The bidder completes this form for each lot it bids for. Figures it "
                       "commits to become contractual."),
    "bidder_states": ("À indiquer par le soumissionnaire", "In te vullen door de inschrijver",
                      "To be stated by the bidder"),
    "answer": ("Réponse", "Antwoord", "Answer"),
    "state_price": ("Prix total de l'offre, en EUR hors TVA", "Totale offerteprijs, in EUR "
                    "exclusief btw", "Total bid price, in EUR excluding VAT"),
    "state_quantity": ("Nombre offert ({unit}), engagement contractuel", "Aangeboden aantal "
                       "({unit}), contractuele verbintenis", "Number offered ({unit}), a "
                       "contractual commitment"),
    "state_rating": ("Document joint décrivant : {label}", "Bijgevoegd document over: {label}",
                     "Attached document describing: {label}"),
    "bidder_identity": ("Nom et numéro d'entreprise du soumissionnaire", "Naam en "
                        "ondernemingsnummer van de inschrijver", "Bidder's name and enterprise "
                        "number"),
    "annex_plan": ("Annexe B – Modèle de plan d'insertion", "Bijlage B – Sjabloon voor het "
                   "inschakelingsplan", "Annex B – Insertion plan template"),
    "plan_intro": ("Le plan d'insertion décrit comment le soumissionnaire exécutera les clauses "
                   "sociales ; il est évalué selon la grille du critère concerné.",
                   "Het inschakelingsplan beschrijft hoe de inschrijver de sociale clausules zal "
                   "uitvoeren; het wordt beoordeeld volgens het rooster van het betrokken "
                   "criterium.", "The insertion plan describes how the bidder will perform the "
                   "social clauses; it is assessed with the grid of the criterion concerned."),
    "plan_heading": ("Rubrique", "Rubriek", "Heading"),
    "plan_target": ("Public visé et canal de recrutement (organisme d'emploi ou de formation)",
                    "Doelgroep en rekruteringskanaal (arbeidsbemiddelings- of opleidingsdienst)",
                    "Target group and recruitment channel (employment or training body)"),
    "plan_people": ("Nombre de personnes et d'heures prévues", "Aantal personen en voorziene uren",
                    "Number of persons and hours planned"),
    "plan_tasks": ("Postes et tâches confiés", "Functies en toevertrouwde taken",
                   "Positions and tasks"),
    "plan_supervision": ("Encadrement et tutorat (nom de la fonction du tuteur, disponibilité)",
                         "Begeleiding en mentorschap (functie van de mentor, beschikbaarheid)",
                         "Supervision and tutoring (mentor's role, availability)"),
    "plan_training": ("Contenu de la formation et attestation délivrée", "Inhoud van de opleiding "
                      "en afgeleverd attest", "Training content and certificate issued"),
    "plan_partners": ("Partenaires (entreprises d'économie sociale, organismes)", "Partners "
                      "(sociale-economieondernemingen, instellingen)", "Partners (social-economy "
                      "enterprises, bodies)"),
    "plan_schedule": ("Calendrier de mise en œuvre", "Planning van de uitvoering",
                      "Implementation schedule"),
    "plan_reporting": ("Rapportage mensuel et pièces justificatives", "Maandelijkse rapportering "
                       "en bewijsstukken", "Monthly reporting and supporting documents"),
}


def t(key: str, lang: str, **params: Any) -> str:
    """The wording of ``key`` in ``lang`` ("fr", "nl" or "en"), with ``{params}`` filled."""
    text = TEXT[key][LANGS.index(lang)]
    return text.format(**params) if params else text
