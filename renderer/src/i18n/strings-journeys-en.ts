import { CaseStatus, CertificateVerdict } from '../../../common/contract/cases-api.js';
import { MaterialForm, ServiceChannel } from '../../../common/contract/guide.js';
import { CheckInOutcome } from '../../../common/contract/kiosk-api.js';
import { ratingLevelNames } from '../../../common/contract/ratings-api.js';
import { RatingDimension, RatingPhrase } from '../state/journeys/rating-draft.js';
import { Screen } from '../state/screen.js';
import type { Dictionary } from './dictionary.js';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

function days(label: string, value: number | null): string {
  if (value === null) return `${label}: none`;
  return value === 0 ? `${label}: same day` : `${label}: ${plural(value, 'working day', 'working days')}`;
}

export const journeysEn: Pick<Dictionary, 'journeys' | 'checkIn' | 'guide' | 'progress' | 'verify' | 'rating'> = {
  journeys: {
    heading: 'More services',
    title: {
      [Screen.CheckIn]: 'Appointment check-in',
      [Screen.Guide]: 'Service guide',
      [Screen.Progress]: 'Application progress',
      [Screen.Rating]: 'Rate our service',
      [Screen.Verify]: 'Verify a certificate',
    },
    hint: {
      [Screen.CheckIn]: 'Booked online? Check in here',
      [Screen.Guide]: 'Conditions, materials, time limits',
      [Screen.Progress]: 'With your ID card',
      [Screen.Rating]: 'Tell us how we did',
      [Screen.Verify]: 'Scan a verification slip',
    },
    backHome: 'Back to start',
    visitorChip: (maskedName) => `Identified: ${maskedName}`,
    retry: 'Try again',
  },
  checkIn: {
    prompt: 'Scan your booking QR code, or place your ID card on the reader',
    promptDetail: 'Hold the booking QR code on your phone under the scanner, or place your ID card on the reader',
    checking: 'Checking you in, please wait…',
    withCard: 'Check in with the ID card read',
    appointment: (service, day, time) => `Booking: ${service} · ${day} ${time}`,
    outcome: {
      [CheckInOutcome.Ticket]: 'Checked in',
      [CheckInOutcome.Early]: 'You are early',
      [CheckInOutcome.Late]: 'Check-in time has passed',
      [CheckInOutcome.OtherDay]: 'Your booking is not for today',
      [CheckInOutcome.AlreadyCheckedIn]: 'Already checked in',
      [CheckInOutcome.Cancelled]: 'This booking was cancelled',
      [CheckInOutcome.NotFound]: 'No booking found',
    },
    early: (comeBackAt, start) => `Please come back to check in from ${comeBackAt} (booked for ${start})`,
    late: (start, until) => `Check-in for your ${start} booking closed at ${until}. You can take a regular ticket instead.`,
    walkIn: (service) => `Take a regular ticket: ${service}`,
    otherDayFuture: (day, time) => `Your booking is on ${day} at ${time} — please check in on that day`,
    otherDayPast: (day, time) => `Your booking on ${day} at ${time} has passed — please book again or take a ticket`,
    alreadyCheckedIn: 'Please wait to be called; your number is on the ticket you got at check-in',
    cancelled: 'You can still take a regular ticket',
    notFoundReference: 'No booking matches this code — please check it and scan again, or place your ID card on the reader',
    notFoundCard: 'We found no booking of yours for today — scan your booking QR code, or take a ticket',
    ticketMissing: 'Checked in — please wait to be called',
    failed: 'Check-in is not possible right now',
  },
  guide: {
    listHeading: 'Choose a service to see its guide',
    searchLabel: 'Search services',
    searchHint: 'Type the pinyin initials of a service, e.g. gjj for 住房公积金 (housing fund)',
    queryEmpty: 'All services',
    keyboardLabel: 'Letter keyboard',
    backspace: 'Delete',
    clear: 'Clear',
    resultCount: (count) => (count === 1 ? '1 service found' : `${count} services found`),
    noResults: 'No service found — try other letters',
    backToList: 'Back to the list',
    noGuide: 'No guide has been published for this service — please ask the staff',
    conditions: 'Who may apply',
    materials: 'Materials to bring',
    noMaterials: 'No materials needed',
    materialForm: {
      [MaterialForm.Original]: 'Original',
      [MaterialForm.Copy]: 'Copy',
      [MaterialForm.OriginalAndCopy]: 'Original and copy',
      [MaterialForm.Electronic]: 'Electronic',
    },
    materialCount: (count) => `× ${count}`,
    fees: 'Fees',
    timeLimits: 'Time limits',
    legalLimit: (value) => days('Legal time limit', value),
    promisedLimit: (value) => days('Promised time limit', value),
    location: 'Where',
    channelHeading: 'How',
    channel: {
      [ServiceChannel.Online]: 'Online',
      [ServiceChannel.InHall]: 'At a counter in the hall',
      [ServiceChannel.Both]: 'Online or at a counter in the hall',
    },
    hours: 'Opening hours',
    weekday: (isoWeekday) => WEEKDAYS[isoWeekday - 1] ?? '',
    weekdayRange: (from, to) => `${from}–${to}`,
    listSeparator: ', ',
    noHours: 'Opening hours not published',
    print: 'Print the materials list',
    printing: 'Printing…',
    printed: 'Printed — please take the list',
    printFailed: 'Cannot print right now — please take a photo of this page',
    takeTicket: 'Take a ticket for this service',
  },
  progress: {
    needCard: 'Place your ID card on the reader to see your applications',
    loading: 'Looking up your applications…',
    empty: 'No applications found for you',
    count: (count) => plural(count, 'application', 'applications'),
    cacheAge: (minutes) => {
      if (minutes === null) return 'Saved on this kiosk';
      if (minutes < 1) return 'As of less than a minute ago';
      if (minutes < 60) return `As of ${plural(minutes, 'minute', 'minutes')} ago`;
      if (minutes < 24 * 60) return `As of ${plural(Math.floor(minutes / 60), 'hour', 'hours')} ago`;
      return `As of ${plural(Math.floor(minutes / (24 * 60)), 'day', 'days')} ago`;
    },
    cacheNote: 'The network is down — the latest status shows once it is back',
    caseNumber: (caseNumber) => `Application no. ${caseNumber}`,
    status: {
      [CaseStatus.Accepted]: 'Accepted',
      [CaseStatus.Processing]: 'In progress',
      [CaseStatus.Concluded]: 'Concluded',
      [CaseStatus.Rejected]: 'Not accepted',
      [CaseStatus.ReadyForPickup]: 'Ready for pickup',
      [CaseStatus.PickedUp]: 'Picked up',
    },
    timeline: 'Progress',
    due: (day) => `Promised by ${day}`,
    certificate: (title) => `E-certificate: ${title}`,
    printSlip: 'Print the verification slip',
    slipPrinting: 'Printing…',
    slipPrinted: 'Printed — please take the verification slip',
    slipFailed: 'Cannot print right now — please try again later',
    failed: 'Your applications cannot be looked up right now',
  },
  verify: {
    prompt: 'Hold the QR code of the verification slip under the scanner',
    verifying: 'Verifying…',
    verdict: {
      [CertificateVerdict.Valid]: 'Verified',
      [CertificateVerdict.Malformed]: 'Not verified',
      [CertificateVerdict.UnknownKey]: 'Not verified',
      [CertificateVerdict.BadSignature]: 'Not verified',
    },
    reason: {
      [CertificateVerdict.Valid]: 'Issued by this hall, and not altered',
      [CertificateVerdict.Malformed]: 'This is not a valid certificate code, or the QR code is damaged',
      [CertificateVerdict.UnknownKey]: 'This slip was not signed with a key of this hall — its authenticity cannot be confirmed',
      [CertificateVerdict.BadSignature]: 'The content does not match its signature — the slip may be forged or altered',
    },
    title: 'Certificate',
    holder: 'Holder',
    caseNumber: 'Application no.',
    issuedAt: 'Issued on',
    unreadable: 'The slip could not be read — please scan it again',
    scanAnother: 'You can scan another slip',
    failed: 'Verification is not possible right now',
  },
  rating: {
    prompt: 'Place your ID card on the reader, or scan the QR code on your ticket',
    loading: 'Looking up your visits…',
    choose: 'Choose the ticket to rate',
    counter: (counterNumber) => `Counter ${counterNumber}`,
    servedAt: (time) => `Served at ${time}`,
    none: 'Nothing to rate today (a visit can be rated once served, once per ticket)',
    notRateable: 'This ticket cannot be rated: a visit can be rated once it is served, and only once',
    offline: 'The network is down, so not all your visits can be found — you can scan the QR code on your ticket',
    formHeading: (number, service) => `Rate ${number} ${service}`,
    dimension: {
      [RatingDimension.Overall]: 'Overall',
      [RatingDimension.Efficiency]: 'Efficiency',
      [RatingDimension.Expertise]: 'Expertise',
      [RatingDimension.Attitude]: 'Attitude',
    },
    level: ratingLevelNames('en'),
    phrasesHeading: 'Comments (optional)',
    phrasesHint: 'Choose an overall level first',
    phrase: {
      [RatingPhrase.Efficient]: 'Efficient',
      [RatingPhrase.Patient]: 'Friendly and patient',
      [RatingPhrase.ClearAdvice]: 'Clear answers',
      [RatingPhrase.DoneInOneVisit]: 'Done in one visit',
      [RatingPhrase.LongWait]: 'Long wait',
      [RatingPhrase.UnclearMaterials]: 'Unclear list of materials',
      [RatingPhrase.RepeatVisits]: 'Had to come back several times',
      [RatingPhrase.PoorAttitude]: 'Unfriendly staff',
    },
    submit: 'Submit',
    submitting: 'Submitting…',
    needAll: 'Please choose a level for each item',
    thanks: 'Thank you for your rating!',
    thanksFor: (number) => `Ticket ${number} rated`,
    queuedOffline: 'It will be sent as soon as the network is back',
    notQueued: 'This ticket was rated already — one rating per ticket',
    rateNext: (left) => `Rate the next one (${left} left)`,
    failed: 'Cannot look this up right now',
    submitFailed: 'Could not submit — please try again',
  },
};
