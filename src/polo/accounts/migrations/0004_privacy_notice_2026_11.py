"""Publish the first full privacy notice (aviso de privacidad integral), version 2026-11.

The text is a legal document as published on that date, so it lives here
verbatim; later versions are published from the admin (or another data
migration) and this one stays reachable at /cuenta/aviso-de-privacidad/2026-11/.
The address and the representative organisation are placeholders that the
consortium replaces, with a new version, before going live.
"""

import datetime

from django.db import migrations

VERSION = "2026-11"
PUBLISHED_ON = datetime.date(2026, 11, 26)

TEXT_ES = """\
Versión 2026-11. Este aviso explica qué datos personales trata Polo, la plataforma del Programa de Ciudadanía Participativa en Oaxaca, Puebla y Guerrero, para qué los usa, con quién los comparte y cómo puedes ejercer tus derechos, conforme a la Ley Federal de Protección de Datos Personales en Posesión de los Particulares publicada en el Diario Oficial de la Federación el 20 de marzo de 2025 y a las demás disposiciones aplicables.

## 1. Quién es responsable de tus datos

El responsable del tratamiento es el consorcio de organizaciones de la sociedad civil que opera el Programa de Ciudadanía Participativa «Polo», representado para efectos de este aviso por [Nombre de la organización coordinadora], A.C., con domicilio en [Calle y número], [Colonia], C.P. [00000], Oaxaca de Juárez, Oaxaca, México.

Nuestro Departamento de Datos Personales atiende cualquier asunto relacionado con tus datos en el correo [correo-de-privacidad].

## 2. Qué datos personales tratamos

Según las actividades en las que participes, tratamos los siguientes datos:

- Identificación: nombre completo.
- Contacto: correo electrónico y, cuando lo proporcionas para una actividad, número de teléfono.
- Ubicación: estado, municipio y, en su caso, comunidad donde vives o trabajas.
- Sector y organización: el tipo de actor al que perteneces (organización de la sociedad civil, colectivo, institución académica, red, autoridad local u otro), la organización, tu cargo en ella y los temas en los que trabaja.
- Datos sociodemográficos: sexo y rango de edad (no tu fecha de nacimiento).
- Participación: asistencia a grupos focales, foros, talleres y cursos; respuestas a encuestas y consultas ciudadanas; propuestas, comentarios, apoyos y votos en agendas comunes; constancias y certificados obtenidos.
- Cuenta y seguridad: contraseña (guardada solo de forma cifrada), configuración de la verificación en dos pasos, fecha de alta, fecha del último acceso, idioma preferido y los avisos de privacidad que has aceptado, con su fecha.

## 3. Datos personales sensibles

La autoadscripción indígena (si te reconoces como parte de un pueblo o comunidad indígena, a cuál y qué lengua hablas) es un dato personal sensible, porque revela tu origen étnico. Solo la pedimos en algunos formularios (por ejemplo, registros a foros o encuestas de línea base), siempre como pregunta opcional y con una casilla de consentimiento expreso y separado. Puedes no responder sin que eso limite tu participación. La usamos únicamente para producir estadísticas agregadas que hagan visible la participación de los pueblos indígenas en el programa; nunca se publica de forma que te identifique.

Al marcar esa casilla nos otorgas tu consentimiento expreso y por escrito, por medio electrónico, para tratar ese dato sensible.

## 4. Para qué usamos tus datos

Finalidades primarias, necesarias para la relación que tienes con el programa:

- Crear y administrar tu cuenta, verificar tu correo electrónico y proteger el acceso.
- Registrarte y dar seguimiento a tu participación en grupos focales, foros, talleres, cursos y el diplomado, y emitir y verificar tus constancias y certificados.
- Permitirte participar en agendas comunes y consultas ciudadanas: proponer, comentar, apoyar y votar.
- Permitir que tú, como integrante o editora de una organización, mantengas su perfil en el Directorio Temático.
- Atender tus solicitudes de acceso, rectificación, cancelación y oposición, y cumplir obligaciones legales.

Finalidades secundarias, que no son necesarias para esa relación:

- Elaborar estadísticas, estudios e informes agregados sobre la participación ciudadana en las regiones (línea base, diagnóstico participativo, informes a las entidades donantes). Estos resultados nunca te identifican.
- Enviarte información sobre nuevas actividades, convocatorias y materiales del programa.

Si no quieres que tus datos se usen para alguna finalidad secundaria, escríbenos en cualquier momento a [correo-de-privacidad]. Tu negativa no será motivo para negarte ningún servicio del programa.

## 5. Con quién compartimos tus datos

No vendemos ni rentamos tus datos personales. Las organizaciones que integran el consorcio acceden a ellos como parte del responsable y solo para las finalidades de este aviso; las personas facilitadoras solo ven los datos de las actividades de su región.

Podemos transferir tus datos, sin necesidad de tu consentimiento, en los casos que la ley permite:

- A las instituciones académicas aliadas que certifican el diplomado, para emitir tu constancia o certificado, cuando te inscribes en él.
- A las autoridades competentes que los requieran mediante un mandato fundado y motivado.

Las entidades donantes reciben únicamente información agregada, que no contiene datos personales. Los proveedores que nos prestan servicios de alojamiento y de envío de correo tratan tus datos por nuestra cuenta, bajo contrato y con las mismas obligaciones de confidencialidad.

## 6. Tus derechos ARCO y cómo ejercerlos en Polo

Tienes derecho a acceder a tus datos, a rectificarlos, a cancelarlos y a oponerte a su tratamiento (derechos ARCO). En Polo puedes ejercerlos tú misma o tú mismo, desde la página «Mi cuenta»:

- Acceso: el enlace «Descargar mis datos» entrega un archivo JSON con todos los datos personales que Polo guarda sobre ti.
- Rectificación: «Editar mis datos» te permite corregir tu nombre, municipio e idioma; tus correos electrónicos se cambian en «Correos electrónicos», con verificación del nuevo correo.
- Cancelación: «Cancelar mi cuenta», tras confirmar con tu contraseña, anonimiza tu cuenta de inmediato: borra tu nombre, correo, municipio, la verificación en dos pasos y los datos personales del historial de cambios, y cierra tus sesiones. Los registros que cuentan en las estadísticas (por ejemplo, una asistencia o una membresía) se conservan sin identificarte. Los datos que una ley nos obligue a conservar se bloquean durante el plazo que esta señale y después se suprimen.
- Oposición: escríbenos a [correo-de-privacidad] para oponerte a un tratamiento específico o a las finalidades secundarias.

También puedes ejercer cualquiera de estos derechos, o revocar tu consentimiento, con una solicitud al correo [correo-de-privacidad] o en nuestro domicilio, que incluya: tu nombre y un medio para responderte; el documento que acredite tu identidad o, en su caso, la representación legal; la descripción clara de los datos y del derecho que quieres ejercer; y cualquier elemento que facilite localizar tus datos. Te responderemos en un plazo máximo de veinte días hábiles y, si la solicitud procede, la haremos efectiva dentro de los quince días hábiles siguientes. El ejercicio de estos derechos es gratuito.

## 7. Revocación del consentimiento

Puedes revocar en cualquier momento el consentimiento que nos diste, por los mismos medios. La revocación no tiene efectos retroactivos y, si afecta a una finalidad primaria, puede impedir que sigamos prestándote ese servicio.

## 8. Cookies y tecnologías similares

Polo solo usa las cookies necesarias para funcionar: la de sesión, la de protección contra falsificación de formularios (CSRF) y la del idioma que eliges. No usamos cookies de publicidad ni herramientas de analítica de terceros, y no cargamos recursos de otros sitios.

## 9. Niñas, niños y adolescentes

Las cuentas de Polo son para personas mayores de 18 años. Cuando una actividad del programa incluye a niñas, niños o adolescentes, sus datos se recaban y tratan solo con el consentimiento de quien ejerce la patria potestad o la tutela, y atendiendo a su interés superior.

## 10. Cambios a este aviso

Podemos modificar este aviso por cambios en la ley, en el programa o en nuestras prácticas. Cada versión se publica en la página «Aviso de privacidad» de Polo con su número y fecha, y las versiones anteriores siguen disponibles en la misma página. Cuando publiquemos una nueva versión, te pediremos que la leas y la aceptes la próxima vez que entres a Polo.

## 11. Autoridad

Si consideras que tu derecho a la protección de datos personales ha sido vulnerado, puedes acudir a la autoridad garante que señala la ley: la Secretaría Anticorrupción y Buen Gobierno.
"""

TEXT_EN = """\
Version 2026-11. This notice explains which personal data Polo, the platform of the Participatory Citizenship Programme in Oaxaca, Puebla and Guerrero, processes, what it uses them for, with whom it shares them and how you can exercise your rights, under Mexico's Federal Law on the Protection of Personal Data Held by Private Parties published in the Official Gazette on 20 March 2025 and other applicable rules. The Spanish version is the authoritative one.

## 1. Who is responsible for your data

The data controller is the consortium of civil-society organisations that runs the Participatory Citizenship Programme "Polo", represented for the purposes of this notice by [Name of the coordinating organisation], A.C., at [Street and number], [Neighbourhood], postcode [00000], Oaxaca de Juárez, Oaxaca, Mexico.

Our Personal Data Department handles any matter about your data at [correo-de-privacidad].

## 2. Which personal data we process

Depending on the activities you take part in, we process:

- Identification: full name.
- Contact: e-mail address and, when you give it for an activity, phone number.
- Location: state, municipality and, where relevant, the community where you live or work.
- Sector and organisation: the kind of actor you belong to (civil-society organisation, collective, academic institution, network, local authority or other), the organisation, your position in it and the themes it works on.
- Socio-demographic data: sex and age band (not your date of birth).
- Participation: attendance at focus groups, forums, workshops and courses; answers to surveys and citizen consultations; proposals, comments, support and votes in common agendas; certificates obtained.
- Account and security: password (stored only in hashed form), two-factor settings, sign-up date, date of last access, preferred language and the privacy notices you have accepted, with their dates.

## 3. Sensitive personal data

Indigenous self-identification (whether you identify as part of an indigenous people or community, which one, and which language you speak) is sensitive personal data, because it reveals your ethnic origin. We ask for it only in some forms (for example, forum registrations or baseline surveys), always as an optional question and with a separate express-consent checkbox. You may leave it unanswered without any limit on your participation. We use it only to produce aggregate statistics that make the participation of indigenous peoples in the programme visible; it is never published in a way that identifies you.

By ticking that checkbox you give us your express written consent, by electronic means, to process that sensitive data.

## 4. What we use your data for

Primary purposes, necessary for your relationship with the programme:

- Create and manage your account, verify your e-mail address and protect access.
- Register you and follow your participation in focus groups, forums, workshops, courses and the diploma course, and issue and verify your certificates.
- Let you take part in common agendas and citizen consultations: propose, comment, support and vote.
- Let you, as a member or editor of an organisation, keep its profile in the Thematic Directory.
- Handle your access, rectification, cancellation and objection requests, and meet legal obligations.

Secondary purposes, not necessary for that relationship:

- Produce aggregate statistics, studies and reports on citizen participation in the regions (baseline, participatory diagnosis, reports to donors). These results never identify you.
- Send you information about new activities, calls and materials of the programme.

If you do not want your data used for a secondary purpose, write to us at any time at [correo-de-privacidad]. Refusing will never be a reason to deny you any service of the programme.

## 5. Whom we share your data with

We do not sell or rent your personal data. The organisations that make up the consortium access them as part of the controller and only for the purposes of this notice; facilitators only see data about the activities of their own region.

We may transfer your data, without needing your consent, in the cases the law allows:

- To the partner academic institutions that certify the diploma course, to issue your certificate, when you enrol in it.
- To competent authorities that require them through a duly founded order.

Donors receive only aggregate information, which contains no personal data. The providers that host Polo and send its e-mail process your data on our behalf, under contract and with the same confidentiality duties.

## 6. Your ARCO rights and how to exercise them in Polo

You have the right to access your data, to rectify them, to cancel them and to object to their processing (ARCO rights). In Polo you can exercise them yourself from the "My account" page:

- Access: the "Download my data" link delivers a JSON file with all the personal data Polo holds about you.
- Rectification: "Edit my data" lets you correct your name, municipality and language; your e-mail addresses are changed under "E-mail addresses", with verification of the new address.
- Cancellation: "Cancel my account", after confirming with your password, anonymizes your account at once: it erases your name, e-mail, municipality, two-factor settings and the personal data in the change history, and closes your sessions. Records that count in the statistics (an attendance or a membership, for instance) are kept without identifying you. Data a law requires us to keep are blocked for the period it sets and then deleted.
- Objection: write to [correo-de-privacidad] to object to a specific processing or to the secondary purposes.

You can also exercise any of these rights, or revoke your consent, by sending a request to [correo-de-privacidad] or to our address, including: your name and a way to answer you; a document proving your identity or, where relevant, legal representation; a clear description of the data and the right you want to exercise; and anything that helps locate your data. We will answer within twenty working days at most and, if the request is granted, carry it out within the following fifteen working days. Exercising these rights is free of charge.

## 7. Revoking your consent

You may revoke the consent you gave us at any time, by the same means. Revocation is not retroactive and, if it affects a primary purpose, it may prevent us from continuing to provide that service.

## 8. Cookies and similar technologies

Polo only uses the cookies it needs to work: the session cookie, the cross-site request forgery (CSRF) protection cookie and the cookie for the language you choose. We use no advertising cookies or third-party analytics, and we load no resources from other sites.

## 9. Children and adolescents

Polo accounts are for people aged 18 and over. When a programme activity includes children or adolescents, their data are collected and processed only with the consent of whoever holds parental authority or guardianship, and in their best interest.

## 10. Changes to this notice

We may change this notice because of changes in the law, the programme or our practices. Each version is published on Polo's "Privacy notice" page with its number and date, and earlier versions remain available on the same page. When we publish a new version, we will ask you to read and accept it the next time you use Polo.

## 11. Authority

If you believe your right to personal-data protection has been violated, you may turn to the guarantor authority the law names: the Secretaría Anticorrupción y Buen Gobierno (Ministry of Anti-corruption and Good Government).
"""


def publish(apps, schema_editor):
    PrivacyNotice = apps.get_model("accounts", "PrivacyNotice")
    # Historical models lack PrivacyNotice.save(), which retires the previous
    # current version: do it here, before the constraint would object.
    PrivacyNotice.objects.filter(is_current=True).exclude(version=VERSION).update(
        is_current=False
    )
    PrivacyNotice.objects.update_or_create(
        version=VERSION,
        defaults={
            "published_on": PUBLISHED_ON,
            "text_es": TEXT_ES,
            "text_en": TEXT_EN,
            "is_current": True,
        },
    )


def unpublish(apps, schema_editor):
    PrivacyNotice = apps.get_model("accounts", "PrivacyNotice")
    # A notice somebody consented to is evidence: Consent.notice is PROTECT,
    # so rolling back fails loudly rather than erasing it.
    PrivacyNotice.objects.filter(version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_notice_text_help"),
    ]

    operations = [
        migrations.RunPython(publish, unpublish),
    ]
