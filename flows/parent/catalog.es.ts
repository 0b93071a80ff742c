// Spanish texts of the parent conversation.
import type { ParentCatalog } from "./catalog";
import type { AnnouncementsSetting } from "./parent.types";
import { joinNames, numbered } from "./words";

const categories: Record<string, string> = {
  academics: "Académico",
  attendance: "Asistencia y permisos",
  fees: "Pagos",
  transport: "Transporte",
  other: "Otro",
};

const officeNames = {
  accounts: "la oficina de pagos",
  transport: "la oficina de transporte",
  front: "la recepción",
} as const;

const statuses: Record<string, string> = {
  open: "abierta",
  in_progress: "en curso",
  waiting_for_parent: "respondida",
  resolved: "resuelta",
  closed: "cerrada",
};

const channelNames: Record<string, string> = {
  "whatsapp-cloud": "WhatsApp",
  "twilio-whatsapp": "WhatsApp",
  "whatsapp-web": "WhatsApp",
  telegram: "Telegram",
  sms: "SMS",
  simulator: "Simulador de chat",
};
const channelName = (channel: string) => channelNames[channel] ?? channel;

const announcementWords: Record<AnnouncementsSetting, string> = {
  instant: "al instante (cada uno cuando se envía)",
  digest: "una vez al día (un mensaje con los avisos del día)",
  off: "desactivados (los mensajes urgentes siguen llegando)",
};

const announcementOptions: Record<AnnouncementsSetting, string> = {
  instant: "Al instante",
  digest: "Resumen diario",
  off: "Desactivados",
};

const announcementsChanged: Record<AnnouncementsSetting, string> = {
  instant: "Listo: recibirá cada aviso en cuanto se envíe.",
  digest: "Listo: recibirá los avisos una vez al día, en un solo mensaje.",
  off: "Listo: los avisos están desactivados; los mensajes urgentes y los avisos de asistencia le seguirán llegando.",
};

export const es: ParentCatalog = {
  languageName: "Español",
  greeting: ({ name, school }) =>
    `Hola ${name}, le damos la bienvenida a la línea para familias de ${school}.`,
  menuPrompt: () => "¿En qué puedo ayudarle?",
  menuNewRequest: () => "Nueva consulta",
  menuMyRequests: () => "Mis consultas",
  menuAnnouncements: () => "Avisos",
  menuTalkToPerson: () => "Hablar con una persona",
  menuLanguage: () => "Idioma",
  menuSettings: () => "Ajustes",
  menuHelp: () => "Ayuda",
  help: ({ officePhone }) =>
    `Responda con el número de una opción. Escriba "menú" o 0 en cualquier momento para volver al menú; lo que estaba escribiendo no se envía. Si es urgente, llame a la oficina al ${officePhone}.`,
  sharePhone: () => "Compartir mi número de teléfono",
  askPhone: () =>
    "Para proteger la información de su familia necesitamos comprobar quién es usted. Escriba el número de teléfono que la escuela tiene registrado, o el número de matrícula del estudiante.",
  notRegistered: ({ officePhone }) =>
    `Este número no está registrado en la escuela. Comuníquese con la oficina${officePhone ? ` al ${officePhone}` : ""} para actualizar sus datos. Si la escuela tiene otro número suyo, o conoce el número de matrícula del estudiante, escríbalo aquí.`,
  codeSent: ({ maskedPhone }) =>
    `Enviamos un código de 6 dígitos al ${maskedPhone}. Escríbalo aquí. (Escriba "reenviar" para recibir uno nuevo.)`,
  codeRateLimited: ({ retryAt, officePhone }) =>
    `Ya enviamos varios códigos. Por su seguridad, inténtelo de nuevo a partir de: ${retryAt}.${officePhone ? ` Si es urgente, llame a la oficina al ${officePhone}.` : ""}`,
  codeWrong: ({ triesLeft }) =>
    `Ese código no es correcto. Le ${triesLeft === 1 ? "queda 1 intento" : `quedan ${triesLeft} intentos`}.`,
  codeExpected: ({ maskedPhone }) =>
    `Escriba el código de 6 dígitos que enviamos al ${maskedPhone}, o "reenviar" para recibir uno nuevo. No se gastó ningún intento.`,
  schoolHelp: ({ school, officePhone }) =>
    `Esta es la línea para familias de ${school || "la escuela"}. Para obtener ayuda, llame a la oficina${officePhone ? ` al ${officePhone}` : ""}. Escriba cualquier cosa aquí para empezar.`,
  codeDead: () =>
    'Ese código ya no sirve: venció a los 10 minutos o se intentó 5 veces. Escriba "reenviar" y le enviaremos uno nuevo ahora.',
  verified: ({ name }) => `Gracias, ${name}: su número quedó verificado.`,
  pickChild: () => "¿Sobre cuál de sus hijos es la consulta?",
  pickCategory: () => "¿De qué se trata?",
  categoryLabel: (category) => categories[category] ?? category,
  statusLabel: (status) => statuses[status] ?? status,
  writeMessage: ({ child, category }) =>
    `Escriba su mensaje sobre ${category}${child ? ` para ${child}` : ""}. Un solo mensaje basta; incluya fechas o detalles.`,
  confirmSummary: ({ child, category, text }) =>
    `Revise su consulta:\n${child ? `Estudiante: ${child}\n` : ""}Tema: ${category}\nMensaje: ${text}`,
  attachmentOnly: () => "(una foto o un archivo, sin texto)",
  confirmSend: () => "Enviar",
  confirmCancel: () => "No enviar",
  assignee: (a) => {
    if (a.role === "school") return "la oficina de la escuela";
    if (a.role === "class_teacher") return `${a.name}, tutoría de ${a.className}`;
    if (a.role === "office") return `${a.name}, ${officeNames[a.office]}`;
    if (a.role === "admin") return `${a.name}, dirección de la escuela`;
    return a.name;
  },
  ticketCreated: ({ reference, assignee }) =>
    `Gracias. Su consulta ${reference} fue enviada a ${assignee}. Recibirá la respuesta aquí.`,
  refusedOpenTickets: ({ limit, references, officePhone }) =>
    `Ya tiene ${limit} consultas abiertas (${references.join(", ")}), el máximo a la vez. Podrá hacer una nueva en cuanto una de ellas tenga respuesta. Si es urgente, llame a la oficina al ${officePhone}.`,
  refusedCooldown: ({ minutesLeft, until, officePhone }) =>
    `Acaba de enviarnos una consulta, así que debe esperar ${minutesLeft} ${minutesLeft === 1 ? "minuto" : "minutos"} para hacer otra: podrá hacerla a partir de las ${until}. Si es urgente, llame a la oficina al ${officePhone}.`,
  refusedWeekly: ({ limit, nextDate, officePhone }) =>
    `Ya hizo ${limit} consultas esta semana, que es el máximo por familia. Podrá hacer una nueva a partir del ${nextDate}. Si es urgente, llame a la oficina al ${officePhone}.`,
  keptInRequest: ({ reference }) =>
    `Añadí lo que escribió a ${reference}, para que la escuela lo vea.`,
  willKeepIn: ({ reference }) =>
    `Si escribe su mensaje ahora, lo añadiré a ${reference} para que la escuela lo vea.`,
  noOpenRequests: () => "No tiene consultas abiertas.",
  openRequests: ({ lines }) => `Sus consultas abiertas:\n${lines.join("\n")}`,
  whichRequest: () => "¿Es sobre una de sus consultas abiertas, o es algo nuevo?",
  addedToRequest: ({ reference, assignee }) => `Gracias, lo añadí a ${reference} para ${assignee}.`,
  talkToPersonPrompt: () =>
    "Por supuesto. En pocas palabras, ¿de qué le gustaría hablar? Alguien de la oficina le responderá lo antes posible.",
  urgentCreated: ({ reference, assignee }) =>
    `Gracias. ${assignee} tiene su consulta ${reference} y le responderá lo antes posible.`,
  noAnnouncements: () => "Todavía no hay avisos para usted.",
  announcements: ({ lines }) => `Últimos avisos:\n${lines.join("\n")}`,
  languagePrompt: () => "¿En qué idioma prefiere que le escriba?",
  languageChanged: () => "Listo, a partir de ahora le escribiré en español.",
  channelName,
  settingsSummary: ({ announcements, channels }) =>
    [
      "Sus ajustes:",
      `Avisos: ${announcementWords[announcements]}`,
      ...(channels.length > 0
        ? [`Le escribimos por: ${channels.map(channelName).join(", luego ")}`]
        : []),
      ...(channels.length === 1
        ? ["Para recibir mensajes también en otra aplicación, escríbanos desde ella y verifíquese."]
        : []),
      "¿Qué le gustaría cambiar?",
    ].join("\n"),
  settingsAnnouncementsOption: () => "Avisos",
  settingsChannelOption: () => "Orden de canales",
  settingsBackOption: () => "Volver al menú",
  announcementsPrompt: () =>
    "¿Cómo quiere recibir los avisos? Los mensajes urgentes y los avisos de asistencia siempre le llegarán.",
  announcementsOption: (mode) => announcementOptions[mode],
  announcementsChanged: ({ announcements }) => announcementsChanged[announcements],
  channelPrompt: () => "¿Qué canal usamos primero? Los demás conservan su orden después.",
  channelOrderChanged: ({ channels }) =>
    `Listo: le escribiremos por ${channels.map(channelName).join(", luego por ")}.`,
  idleReset: () =>
    "Pasó un tiempo, así que dejé de lado lo que estábamos haciendo. Aquí tiene el menú otra vez.",
  ticketResolved: ({ reference, by }) =>
    `${by} marcó ${reference} como resuelta. ¿Cómo lo hicimos? Responda con un número del 1 (mal) al 5 (excelente). Si no quedó resuelta, elija "Reabrir".`,
  reopenOption: () => "Reabrir",
  ratingCommentKept: ({ reference, by }) =>
    `Gracias, lo añadí a ${reference} para ${by}. Responda con un número del 1 al 5 para valorarla, o elija "Reabrir".`,
  ratingThanks: ({ rating }) => `Gracias por calificarnos con ${rating} de 5.`,
  reopened: ({ reference }) => `Reabrí ${reference}; la escuela le responderá.`,
  reopenRefusedLimit: ({ limit, officePhone }) =>
    `Esta consulta ya se reabrió ${limit} ${limit === 1 ? "vez" : "veces"}, así que no puedo reabrirla otra vez. Haga una nueva consulta desde el menú y menciónela, o llame a la oficina al ${officePhone}.`,
  reopenRefusedWindow: ({ days, officePhone }) =>
    `Esta consulta se resolvió hace más de ${days} días, así que no puedo reabrirla. Haga una nueva consulta desde el menú y menciónela, o llame a la oficina al ${officePhone}.`,
  floodPaused: ({ until, officePhone }) =>
    `Recibimos muchos mensajes suyos en pocos minutos, así que haré una pausa hasta las ${until}; la escuela puede ver todo lo que envió. Si es urgente, llame a ${officePhone ? `la oficina al ${officePhone}` : "la oficina de la escuela"}.`,
  youreWelcome: () => '¡De nada! Escriba aquí cuando quiera, o "menú" para ver las opciones.',
  notUnderstood: () => "Perdón, no lo entendí. Elija una de las opciones, por favor.",
  cancelled: () => "De acuerdo, no se envió nada.",
  somethingWentWrong: ({ officePhone }) =>
    `Perdón, algo falló de nuestro lado. Inténtelo de nuevo en un momento${officePhone ? `, o llame a la oficina al ${officePhone}` : ""}.`,
  announcementsStopped: () =>
    'Listo: los avisos están desactivados. Los mensajes urgentes, los avisos de asistencia y las respuestas a sus consultas siguen llegando. Para activarlos de nuevo, escriba "ajustes".',
  optedOut: () =>
    "Se dio de baja y no recibirá más mensajes aquí. Responda START para volver a suscribirse.",
  optedIn: () =>
    "Su suscripción está activa de nuevo. Responda HELP para obtener ayuda, o STOP para darse de baja.",
  conversationRestarted: () =>
    "Disculpe, tuvimos que reiniciar nuestra conversación. Si estaba en medio de algo, por favor empiece de nuevo.",
  announcementAbout: ({ children, text }) =>
    children.length > 0 ? `Sobre ${joinNames(children, "y")}: ${text}` : text,
  digest: ({ school, items }) =>
    items.length === 1
      ? `El aviso de hoy de ${school}:\n${items[0]}`
      : `Los ${items.length} avisos de hoy de ${school}:\n${numbered(items)}`,
  codeMessage: () =>
    "Su código de Parentline es {code}. Caduca en 10 minutos. No lo comparta con nadie.",
};
