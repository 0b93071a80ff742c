// School-event notices in Spanish.
import type { SchoolEventCatalog } from "./catalog-contract";

export const es: SchoolEventCatalog = {
  absent: ({ school, child, date, period }) =>
    `${school}: ${child} figura como ausente el ${date} (${period}). Si no lo esperaba, responda aquí y el colegio lo revisará.`,
  late: ({ school, child, date, period }) =>
    `${school}: ${child} llegó tarde el ${date} (${period}). Si quiere explicar el motivo al colegio, responda aquí.`,
  feeReminder: ({ school, child, amount, dueDate }) =>
    `${school}: le recordamos que el pago de ${amount} de ${child} vence el ${dueDate}. ¿Preguntas? Responda MENU y haga una nueva consulta.`,
  scoresPublished: ({ school, child, title, url }) =>
    `${school}: hay nuevos resultados de ${child}, ${title}: ${url}`,
  answerTaken: ({ child, reference, assignee }) =>
    `Gracias. Pasamos su respuesta sobre la asistencia de ${child} a ${assignee} (${reference}). Recibirá la respuesta aquí.`,
};
