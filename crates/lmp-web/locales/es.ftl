# Las páginas de lmp en español. Una clave que falte aquí se muestra en inglés.

## El marco de cada página
nav-dashboard = Inicio
nav-org = Organización
nav-bodies = Órganos
nav-teams = Equipos
nav-my-teams = Mis equipos
nav-training = Capacitación
nav-scorecard = Indicadores
nav-health = Salud
nav-trust = Fideicomiso
nav-eis = EIS
nav-staffing = Dotación
nav-changes = Cambios
nav-people = Personas
nav-locals = Locales
nav-audit = Auditoría
nav-sign-ins = Accesos
nav-tokens = Tokens
nav-notices = Avisos
sign-out = Cerrar sesión
breadcrumb = Ruta
other-language = English
other-language-name = See it in English

## Iniciar sesión
sign-in-title = Iniciar sesión
sign-in-lead = La alianza obrero-patronal: sus equipos, consejos y personas.
sign-in-or-password = O, si le dieron una contraseña:
sign-in-user-name = Nombre de usuario
sign-in-password = Contraseña

## Inicio
dash-title = Inicio
dash-people = personas
dash-missing-co-lead = órganos sin un codirector
dash-bodies-by-level = Órganos por nivel
dash-level = Nivel
dash-bodies = Órganos
dash-missing = Sin un codirector
dash-missing-title = Órganos sin un codirector
dash-missing-lead = Un órgano necesita un codirector sindical y uno de la gerencia, como iguales. Estos perdieron uno;
dash-see-all = ver los { $count }
dash-body = Órgano
dash-where = Dónde
dash-missing-which = Falta

## El tablero de EIS
eis-title = Seguridad de Empleo e Ingresos
eis-lead = A quienes el cambio desplaza se les reubica, no se les despide: se les asigna según las reglas de prioridad del convenio (el mayor número de trabajadores colocados, luego el mejor conjunto por antigüedad, luego la mayor cantidad de puestos comparables y la menor que requiera recapacitación), cada propuesta con sus razones, y una colocación solo cuando los representantes de EIS de ambas partes la aceptan.
eis-representatives = Representantes:
eis-none-named = aún no se ha nombrado ninguno
eis-in-pool = en el grupo de transición
eis-protection-ending = con 30 días de protección o menos
eis-awaiting = propuestas en espera de ambas partes
eis-placed = colocados
eis-retraining = en recapacitación
eis-open-vacancies = vacantes abiertas
eis-by-region = Por región
eis-by-local = Por local
eis-region = Región
eis-local = Local
eis-col-in-pool = En el grupo
eis-col-proposed = Propuestos
eis-col-placed = Colocados
eis-col-retraining = En recapacitación
eis-proposals = Propuestas
eis-run = Ejecutar la colocación sobre todo el grupo
eis-worker-search = Nombre o número de empleado
eis-every-local = Todos los locales
eis-every-facility = Todos los centros
eis-show = Mostrar
eis-none-here = No hay propuestas aquí.
eis-col-priority = Prioridad
eis-col-worker = Trabajador
eis-col-from = De
eis-col-job = Puesto propuesto
eis-col-why = Por qué
eis-col-days-left = Días restantes
eis-col-accepted = Aceptado
eis-accept-for = Aceptar por { $side }
side-labor = la parte sindical
side-management = la gerencia
eis-declines = El trabajador rechaza…
eis-decline-why = Por qué lo rechaza el trabajador
eis-record-decline = Registrar el rechazo
eis-show-open = en espera de aceptación
eis-show-unplaced = no colocados
eis-show-placed = colocados
eis-show-declined = rechazados
eis-show-superseded = reemplazados
eis-show-all = todos

## Avisos
notices-unlinked = Este acceso no está vinculado a una persona de la alianza, así que nada va dirigido a él. Un administrador lo vincula con
notices-none = Todavía no hay nada para usted. Aquí (y por correo, si su acceso tiene una dirección) se le avisa cuando una decisión necesita su postura, pasa su plazo, se bloquea, se eleva o se adopta, y cuando un órgano del que forma parte convoca una reunión.
notices-mark-read = Marcar todo como leído

## Mis equipos
my-teams-unlinked = Este acceso no está vinculado a una persona de la alianza, así que no codirige ni patrocina ningún equipo. Un administrador vincula los accesos con las personas.
my-teams-awaiting = En espera de su postura
my-teams-none = Usted no codirige ni patrocina ningún equipo.
my-teams-lead = Cada equipo que usted codirige o patrocina, primero los más lejos del siguiente nivel.
my-teams-team = Equipo
my-teams-you-are = Usted es
my-teams-before-next = Antes del siguiente nivel
my-teams-last-meeting = Última reunión
my-teams-unverified = Ahorros aún sin verificar
my-teams-and-more = y { $count } más
my-teams-never = nunca
my-teams-quiet = sin actividad
