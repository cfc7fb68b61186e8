/**
 * The words of background tickets: one case per kind of request or fault, each about one item (the title and the
 * body name the same one), with the ways people describe it: titles, a first sentence, details, what they already
 * tried, the error they paste, and a one-line version. Shared pools add how the work is hurt, forwarded mail and
 * sign-offs. Templates use {@linkcode fill}'s syntax; every name is fictional, every address reserved.
 *
 * Shape calibrated on real helpdesk tickets (Endava IT helpdesk tickets, github
 * `karolzak/support-tickets-classification`; 200-ticket samples: 1,553 content words, length CV 1.58, 91 %
 * distinct titles): many one-liners, a long tail of pasted errors and forwarded threads.
 * @module
 */

/** One kind of background ticket. */
export interface TicketCase {
  category: string;
  subcategory: string;
  /** The service it is filed against (`""`: the drawn application). */
  service: string;
  /** The assignment group (`""`: the application's team). */
  group: string;
  weight: number;
  /** Weights of urgency 1, 2, 3. */
  urgency: readonly [number, number, number];
  /** Log-uniform range of hours to resolve. */
  hours: readonly [number, number];
  /** The words for the item (one is drawn per ticket as `{item}`); title and body both name it. */
  item: readonly string[];
  titles: readonly string[];
  /** The first sentence: what is wrong or wanted. Names `{item}`. */
  problems: readonly string[];
  details: readonly string[];
  tried: readonly string[];
  /** Pasted error text or screen text (may be several lines). */
  errors: readonly string[];
  /** A whole body in one line (names `{item}`). */
  oneLiners: readonly string[];
  /** Case variables drawn once per ticket, so title and body tell the same story (`{doc}`, `{sw}`). */
  vars?: Readonly<Record<string, readonly string[]>>;
  /**
   * Case variables with a title form, a body form and, optionally, the error it shows: `{fault}` in titles,
   * `{fault_text}` in bodies; the error replaces the case's errors.
   */
  pairs?: Readonly<Record<string, readonly (readonly [string, string, string?])[]>>;
}

/** The background ticket cases. */
export const TICKET_CASES: readonly TicketCase[] = [
  {
    category: "Access",
    subcategory: "Password reset",
    service: "identity",
    group: "Service Desk",
    weight: 5,
    urgency: [0.1, 0.5, 0.4],
    hours: [0.2, 4],
    item: ["password"],
    titles: [
      "[Password reset|Reset my password|Password expired] [please|- locked out|after holiday|]",
      "Locked out after [changing my|the forced] password [change|reset|]",
      "{item} not accepted on [the {app} login|Windows sign-in|the self-service portal]",
    ],
    problems: [
      "[My|The] {item} [expired|stopped working] [over the weekend|while I was on leave|this morning] and [now my account is locked|I can't sign in anywhere].",
      "I [typed|entered] the wrong {item} [too many times|three times] [on my phone|after the change] and the account [locked|got blocked].",
      "The self-service {item} reset [sends no code|says my answers are wrong|loops back to the start].",
    ],
    details: [
      "[The lock message|The sign-in page] says the account is [disabled|locked for 30 minutes|temporarily suspended].",
      "I [think|suspect] the old {item} is still [cached|saved] [in Outlook on my phone|in the mail app|on the tablet] and keeps retrying.",
      "[Username|My login] is the usual firstname.lastname format.",
    ],
    tried: [
      "waited the thirty minutes [and tried again|before retrying]",
      "used the self-service reset [link|portal] [twice|]",
      "removed the saved credentials from [Credential Manager|the keychain]",
    ],
    errors: [
      "The referenced account is currently locked out and may not be logged on to.",
      "AADSTS50053: Your account is locked because the user ID or {item} is incorrect too many times.",
    ],
    oneLiners: [
      "account locked, {item} reset please",
      "{item} expired, cannot log in",
      "pls unlock my account, forgot new {item}",
    ],
  },
  {
    category: "Access",
    subcategory: "Permission request",
    service: "identity",
    group: "Identity",
    weight: 3,
    urgency: [0.02, 0.3, 0.68],
    hours: [2, 48],
    item: ["shared folder", "shared drive"],
    titles: [
      "[Access request|Need access|Permission request]: {team} {item}",
      "[Read|Write|Edit] access to the {team} {item} [for the audit|for onboarding|]",
      "Cannot open {team} {item} - access denied",
    ],
    problems: [
      "[Please grant|Requesting|I need] [read-only|read and write|edit] access to the {team} {item} [for the quarterly close|for a new starter in my team|to prepare the audit evidence].",
      "[Since my move to|After joining] the {team} team I still cannot open their {item}; it says access denied.",
    ],
    details: [
      "[My manager|The folder owner|Our department head] [approved this by mail|is in copy and can confirm|agreed in our one-to-one].",
      "[Colleagues in the team|My predecessor] had the same rights, so please copy [theirs|those].",
      "It is only needed [until the end of the quarter|for about two months|permanently].",
    ],
    tried: [
      "logged off and on again to refresh the group membership",
      "mapped the path manually [in Explorer|with net use]",
    ],
    errors: ["You need permission to perform this action. Access is denied."],
    oneLiners: ["need access to {team} {item} pls", "access denied on {team} {item}"],
  },
  {
    category: "Access",
    subcategory: "Multi-factor authentication",
    service: "identity",
    group: "Identity",
    weight: 2,
    urgency: [0.1, 0.6, 0.3],
    hours: [0.5, 8],
    item: ["MFA", "authenticator"],
    titles: ["{item} {fault}", "{item}: {fault}, locked out", "Cannot pass {item} - {fault}"],
    problems: [
      "[I cannot sign in|I'm stuck at sign-in] because the {item} {fault_text}.",
      "Since [Friday|the weekend|this morning] the {item} {fault_text}, so I cannot [approve sign-ins|log in from home].",
    ],
    pairs: {
      fault: [
        ["on new phone", "is still registered to my old phone, which I replaced"],
        ["prompts not arriving", "push notifications do not arrive, or arrive minutes late"],
        ["lost phone", "is gone with the phone I lost"],
        ["codes rejected", "codes are rejected as invalid"],
      ],
    },
    details: [
      "[The old handset|My previous phone] was [wiped|handed back|sent for repair] [last week|on Friday].",
      "[SMS fallback|The text message option] is not offered on my account.",
    ],
    tried: ["reinstalled the app", "synchronised the phone clock", "tried the hardware token option"],
    errors: ["We couldn't verify your identity. The request timed out. Error code 500121."],
    oneLiners: ["{item} {fault}", "{item}: {fault}, please reset"],
  },
  {
    category: "Hardware",
    subcategory: "Laptop",
    service: "workplace",
    group: "Desktop Support",
    weight: 3,
    urgency: [0.05, 0.45, 0.5],
    hours: [4, 72],
    item: ["laptop", "notebook"],
    titles: [
      "{item} {fault}",
      "[My|Work] {item}: {fault}[ again| since the update|]",
      "{item} {fault} - asset EX-{n}",
    ],
    problems: [
      "[My|The] {item} [has been|is] [acting up|getting worse] [since yesterday|since the last update|for about a week]: {fault_text}.",
      "[Since the|After the] [firmware|BIOS|driver] update [on {day}|last night] my {item} is in a bad way: {fault_text}.",
    ],
    pairs: {
      fault: [
        [
          "battery not charging",
          "the battery does not charge past 40 percent",
          "Battery status: Plugged in, not charging (design capacity 56000 mWh, full charge 21130 mWh)",
        ],
        ["battery swollen", "the battery has swollen and the touchpad bulges"],
        ["very slow", "it takes ten minutes to boot and every application hangs"],
        ["screen flickering", "the screen flickers whenever I move the lid"],
        ["fan very loud", "the fan runs at full speed even when idle"],
        ["won't wake from sleep", "it does not wake from sleep and I have to hold the power button"],
        [
          "blue screen on boot",
          "it shows a blue screen at boot, roughly every other start",
          "Your device ran into a problem and needs to restart.\nStop code: DRIVER_POWER_STATE_FAILURE\nWhat failed: intelppm.sys",
        ],
        ["hinge cracked", "the hinge cracked and the lid no longer stays open"],
      ],
    },
    details: [
      "[Asset tag|Tag|Service tag] EX-{n}, [about three years old|issued last spring|bought in the refresh before last].",
      "It [gets hot|smells of burning plastic|makes a clicking noise] [under load|on video calls|when charging].",
      "I [work from home|am in the office] [on Mondays and Thursdays|most days] if someone needs to collect it.",
    ],
    tried: [
      "restarted [several times|twice]",
      "ran the vendor diagnostics [from the boot menu|tool]",
      "tried a different charger [from a colleague|in the meeting room]",
      "rolled back the [graphics|display] driver",
    ],
    errors: [],
    oneLiners: ["{item} {fault}", "{item} {fault}, EX-{n}", "{item}: {fault} again"],
  },
  {
    category: "Hardware",
    subcategory: "Headset",
    service: "workplace",
    group: "Desktop Support",
    weight: 1.2,
    urgency: [0.02, 0.3, 0.68],
    hours: [4, 96],
    item: ["headset", "headphones"],
    titles: [
      "Need a new {item}[ - {fault}|]",
      "{item} {fault}",
      "{item}: {fault}, [replacement please|calls affected]",
    ],
    problems: [
      "[My|The] {item} [is no good any more|has given up] [since this morning|since Monday|again]: {fault_text}.",
      "{fault_text} on my {item}, and I [have customer calls all day|run the support line].",
    ],
    pairs: {
      fault: [
        ["mic not picked up in Teams", "the microphone is not detected by Teams"],
        ["crackling", "it crackles on every call"],
        ["cable broken", "the cable is broken near the plug"],
        ["ear cushion torn", "the ear cushion tore and the foam is coming out"],
        ["not charging", "the charging port stopped working"],
      ],
    },
    details: [
      "It is the [wireless|USB|noise-cancelling] model [from the last order|we all got in the spring].",
      "[Colleagues|The customer] [say my voice sounds robotic|cannot hear me|hear an echo].",
    ],
    tried: [
      "plugged it into another USB port",
      "selected it again as the default device",
      "tested on a colleague's PC",
    ],
    errors: ["Teams: We can't find a microphone. Check your device settings."],
    oneLiners: ["{item} {fault}, need replacement", "new {item} please, {fault}", "{item}: {fault}"],
  },
  {
    category: "Hardware",
    subcategory: "Keyboard and mouse",
    service: "workplace",
    group: "Desktop Support",
    weight: 1,
    urgency: [0.02, 0.2, 0.78],
    hours: [4, 96],
    item: ["keyboard", "mouse"],
    titles: ["{item} {fault}", "Wireless {item} {fault}", "{item}: {fault}[ again|]"],
    problems: [
      "[My|The] {item} {fault_text}.",
    ],
    pairs: {
      fault: [
        ["keys sticking", "has sticky keys since coffee was spilled on the desk"],
        ["not working", "does nothing at all"],
        ["lagging", "lags a second behind, even after the batteries were changed"],
        ["double clicking", "double-clicks on its own"],
        ["disconnects", "keeps disconnecting"],
        ["ergonomic request", "hurts my wrist; occupational health recommended an ergonomic one"],
      ],
    },
    details: ["It is the [wireless|Bluetooth|wired] one [that came with the dock|from the stock cupboard]."],
    tried: ["changed the batteries", "re-paired the receiver", "cleaned it"],
    errors: [],
    oneLiners: ["{item} {fault}", "{item} {fault} pls replace"],
  },
  {
    category: "Hardware",
    subcategory: "Docking station",
    service: "workplace",
    group: "Desktop Support",
    weight: 1.2,
    urgency: [0.02, 0.35, 0.63],
    hours: [4, 72],
    item: ["docking station", "dock"],
    titles: [
      "{item} {fault}",
      "{item} {fault} [again|since the move|]",
      "Desk {floor}.{room}: {item} {fault}",
    ],
    problems: [
      "The {item} at [my desk|hot desk {floor}.{room}] {fault_text}.",
      "[Since the firmware push|Since I moved desks], the {item} {fault_text}.",
    ],
    pairs: {
      fault: [
        ["not detecting my monitor", "no longer detects the monitor"],
        ["not detecting the second monitor", "only drives one monitor, the second monitor shows no signal"],
        ["stopped charging the laptop", "does not charge the laptop any more"],
        ["keeps resetting USB", "resets every USB device every few minutes"],
        ["dead", "flashes amber and nothing connected to it works"],
        ["drops the network", "drops the wired network every few minutes"],
      ],
    },
    details: [
      "[The monitor cables look fine|Both monitors show no signal|Only the left monitor works].",
      "It happens [on every desk in this row|only at this desk|with two different laptops].",
    ],
    tried: ["unplugged the {item} power for a minute", "updated the {item} firmware", "swapped the cable"],
    errors: [],
    oneLiners: ["{item} at desk {floor}.{room} {fault}", "{item} {fault} again"],
  },
  {
    category: "Hardware",
    subcategory: "Monitor",
    service: "workplace",
    group: "Desktop Support",
    weight: 0.8,
    urgency: [0.02, 0.2, 0.78],
    hours: [8, 120],
    item: ["monitor"],
    titles: ["{item} {fault}", "{item} {fault} [at my desk|since the office move|]"],
    problems: ["[My|The] {item} {fault_text} [after the office move|since Friday|]."],
    pairs: {
      fault: [
        ["has dead pixels", "has a line of dead pixels"],
        ["flickers", "flickers every few seconds"],
        ["no signal", "shows no signal from the laptop"],
        ["turned yellow", "shows everything with a yellow tint"],
        ["request (second screen)", "is not enough: I would like a second one for reconciliation work"],
      ],
    },
    details: ["[My manager approved the cost|It is a 24 inch model|The stand is also wobbly]."],
    tried: ["changed the cable", "tried it on another port"],
    errors: [],
    oneLiners: ["{item} {fault}"],
  },
  {
    category: "Hardware",
    subcategory: "Printer",
    service: "workplace",
    group: "Desktop Support",
    weight: 2,
    urgency: [0.05, 0.35, 0.6],
    hours: [1, 48],
    item: ["printer"],
    titles: [
      "{item} on floor {floor} {fault}",
      "{item} {floor}-{room}: {fault}",
      "Floor {floor} {item} {fault} [again|since this morning|]",
    ],
    problems: [
      "The {item} on floor {floor} {fault_text} [since this morning|since the toner was changed|for two days].",
      "[Print jobs|My documents] [sit in the queue|disappear from the queue] and never reach the {item} [near the kitchen|by the lifts|in room {floor}.{room}].",
    ],
    details: [
      "[The display shows|The panel says] [paper jam in tray 2|toner low|door open] [but nothing is stuck|even with the door closed].",
      "[Other people on the floor|My colleagues] [have the same problem|can print fine].",
      "We need it for [the delivery notes|signed contracts|payroll slips] [today|before the courier at four].",
    ],
    tried: [
      "switched the {item} off and on",
      "removed and re-added the {item} [in Settings|on my laptop]",
      "cleared the print queue",
      "opened every tray and looked for paper",
    ],
    pairs: {
      fault: [
        ["jammed", "jams on every duplex job"],
        ["offline", "shows as offline on every laptop"],
        ["out of toner", "says the toner is empty although it was replaced"],
        ["prints blank pages", "only prints blank pages"],
        ["prints streaks", "prints faded streaks down every page"],
        ["stuck queue", "has a stuck queue that nobody can clear"],
        ["shows error 49", "shows service error 49 and restarts"],
      ],
    },
    errors: [
      "Printer status: Error - Printing\nDocument: Contract_v3.pdf  Pages: 12  Size: 2.3 MB\nThe print spooler service is not running.",
      "49.4C02 SERVICE ERROR - Turn off then on",
    ],
    oneLiners: ["{item} floor {floor} {fault} again", "{item} {floor}-{room} {fault}", "floor {floor} {item} {fault}"],
  },
  {
    category: "Hardware",
    subcategory: "Scanner",
    service: "workplace",
    group: "Desktop Support",
    weight: 0.5,
    urgency: [0.02, 0.3, 0.68],
    hours: [4, 72],
    item: ["scanner", "scan to e-mail"],
    titles: ["{item} not sending [to e-mail|to my folder]", "{item} on floor {floor} [broken|slow]"],
    problems: [
      "The {item} on floor {floor} [no longer sends scans to my mailbox|produces empty PDF files|stops after the first page].",
    ],
    details: ["[Invoices|Signed forms|Delivery receipts] have to be scanned [every afternoon|before month end]."],
    tried: ["scanned a single page", "tried the other {item} on the floor"],
    errors: ["SMTP send failed: 535 authentication failed"],
    oneLiners: ["{item} not working floor {floor}"],
  },
  {
    category: "Hardware",
    subcategory: "Mobile phone",
    service: "workplace",
    group: "Desktop Support",
    weight: 1,
    urgency: [0.05, 0.4, 0.55],
    hours: [4, 96],
    item: ["mobile phone", "smartphone"],
    titles: ["Company {item} {fault}", "{item}: {fault}"],
    problems: ["My company {item} {fault_text}.", "The {item} I was given {fault_text} [since the update|this week]."],
    pairs: {
      fault: [
        ["screen cracked", "has a cracked screen after a fall"],
        ["not syncing mail", "no longer syncs mail or calendar"],
        ["battery drains", "drains the battery by lunch"],
        ["too old for the paging app", "is too old to run the paging app I need for on-call"],
      ],
    },
    details: ["[It is enrolled in|It shows as compliant in] the device management portal."],
    tried: ["removed and re-added the mail account", "restarted it"],
    errors: [],
    oneLiners: ["{item} {fault}", "company {item} {fault}"],
  },
  {
    category: "Hardware",
    subcategory: "Webcam",
    service: "workplace",
    group: "Desktop Support",
    weight: 0.6,
    urgency: [0.02, 0.3, 0.68],
    hours: [4, 72],
    item: ["webcam", "camera"],
    titles: ["{item} not detected in [Teams|Zoom|any app]", "{item} [black image|blurry]"],
    problems: [
      "[My|The built-in] {item} [shows a black image|is not detected|is blurry] in [Teams|video calls] [since the update|today].",
    ],
    details: ["I have [a client presentation|interviews] [this afternoon|tomorrow morning]."],
    tried: ["checked the privacy shutter", "allowed {item} access in privacy settings"],
    errors: ["No camera available. Check that your camera is connected and not used by another app. 0xA00F4244"],
    oneLiners: ["{item} not working in Teams"],
  },
  {
    category: "Facilities",
    subcategory: "Access card",
    service: "workplace",
    group: "Facilities",
    weight: 1,
    urgency: [0.05, 0.5, 0.45],
    hours: [1, 48],
    item: ["access card", "badge"],
    titles: ["{item} {fault}", "{item}: {fault}[ - {team}|]"],
    problems: [
      "My {item} {fault_text} [since yesterday|this morning|after the holidays].",
      "[Quick one:|Hi,|] the {item} {fault_text}.",
    ],
    pairs: {
      fault: [
        ["not working", "no longer opens the doors on floor {floor}"],
        ["does not open the car park", "does not open the car park barrier"],
        ["demagnetised", "seems demagnetised: no reader reacts to it"],
        ["lost", "is lost - I left it on the train - and I need a temporary one"],
        ["stopped working after the holidays", "stopped working after the holidays"],
      ],
    },
    details: ["[Reception|Security] [let me in for now|gave me a day pass]."],
    tried: ["tried the other readers"],
    errors: [],
    oneLiners: ["{item} {fault}", "{item}: {fault}, need temp"],
  },
  {
    category: "Facilities",
    subcategory: "Meeting room",
    service: "workplace",
    group: "Facilities",
    weight: 0.8,
    urgency: [0.05, 0.4, 0.55],
    hours: [1, 48],
    item: ["meeting room", "conference room"],
    titles: [
      "{item} {floor}.{room} [screen not working|no sound|booking panel frozen]",
      "{item} [projector|video bar|HDMI cable] broken",
    ],
    problems: [
      "In {item} {floor}.{room} the [video bar|projector|wall screen] [shows no input|has no sound|keeps rebooting] [and we had to move the board meeting|during every call].",
    ],
    details: ["[The HDMI cable is missing|The remote has no batteries|The booking panel shows the wrong day]."],
    tried: ["tried the USB-C adapter", "restarted the video bar"],
    errors: [],
    oneLiners: ["{item} {floor}.{room} screen dead"],
  },
  {
    category: "Software",
    subcategory: "Installation",
    service: "workplace",
    group: "Desktop Support",
    weight: 2.5,
    urgency: [0.02, 0.25, 0.73],
    hours: [3, 72],
    item: ["licence", "license"],
    titles: [
      "[Install request|Software request|{item} request]: {sw}",
      "{item} [expired|missing] for {sw}",
      "{sw} {item}[ for {team}| please|]",
    ],
    problems: [
      "[Please install|Could you install|I need] {sw} with a {item} on [my machine|my laptop] [for my work on {app}|for a data task|to review contracts].",
      "The {item} of {sw} [expired on {day}|was removed in the clean-up] and now [files open read-only|it runs in viewer mode only].",
    ],
    vars: {
      sw: [
        "a diff tool",
        "a PDF editor",
        "Python 3.12",
        "a diagram tool",
        "a screen recorder",
        "statistics software",
        "the design suite",
        "a mind-mapping app",
        "the GIS viewer",
        "the tax filing tool",
      ],
    },
    details: [
      "[The software is on the approved list|Procurement already has a quote|The team has spare seats].",
      "[Cost centre|Budget code] is the {team} one.",
    ],
    tried: ["looked in the software centre", "asked the team lead for a spare {item}"],
    errors: ["Your trial has ended. Sign in with an account that has an active {item}."],
    oneLiners: ["need {item} for {sw}", "{item} for {sw} expired, please renew"],
  },
  {
    category: "Software",
    subcategory: "Browser",
    service: "workplace",
    group: "Desktop Support",
    weight: 1,
    urgency: [0.02, 0.35, 0.63],
    hours: [2, 48],
    item: ["browser"],
    titles: [
      "{item} [crashes|freezes] when opening {app}",
      "{app} [blank page|login loop] in the {item}",
    ],
    problems: [
      "[The|My] {item} [shows a blank page|loops back to the login|freezes] whenever I open {app} [since the last update|after the certificate change|today].",
    ],
    details: ["[It works in private mode|Another browser works fine|Colleagues on the same floor have no issue]."],
    tried: ["cleared cookies and cache", "disabled extensions", "reset the {item} profile"],
    errors: [
      "NET::ERR_CERT_AUTHORITY_INVALID\nYour connection is not private. Attackers might be trying to steal your information.",
      "Uncaught TypeError: Cannot read properties of undefined (reading 'session')\n    at app.8f3a.js:1:48211",
    ],
    oneLiners: ["{app} not loading in {item}", "{item} keeps crashing"],
  },
  {
    category: "Software",
    subcategory: "Office applications",
    service: "workplace",
    group: "Desktop Support",
    weight: 1.5,
    urgency: [0.02, 0.4, 0.58],
    hours: [2, 72],
    item: ["spreadsheet", "Excel workbook"],
    titles: [
      "{doc} {item} {fault}",
      "{item} for {doc}: {fault}",
      "Cannot [open|use] the {doc} {item}",
    ],
    problems: [
      "The {doc} {item} {fault_text} [since this morning|after the update|when two of us have it open].",
    ],
    vars: { doc: ["budget", "forecast", "stock", "headcount", "pricing", "commission", "travel expense"] },
    pairs: {
      fault: [
        ["crashes on save", "crashes every time I save"],
        ["very slow", "takes minutes to recalculate"],
        ["macros disabled", "opens with all macros disabled"],
        ["corrupted", "says the file is corrupt"],
      ],
    },
    details: [
      "The file is [about 80 MB|large, with pivot tables|shared with the whole team] and [lives on the {team} shared drive|is linked to the finance database].",
      "[Version history shows|AutoRecover kept] a copy from [yesterday|last week].",
    ],
    tried: ["opened it in safe mode", "repaired the Office installation", "copied the file locally"],
    errors: [
      "We found a problem with some content in 'Forecast_Q3.xlsx'. Do you want us to try to recover as much as we can?",
      "Microsoft Visual Basic: Run-time error '1004': Application-defined or object-defined error",
    ],
    oneLiners: ["{doc} {item} {fault}", "{item} {fault} ({doc})"],
  },
  {
    category: "Network",
    subcategory: "VPN",
    service: "vpn",
    group: "Network Operations",
    weight: 2.5,
    urgency: [0.1, 0.5, 0.4],
    hours: [0.5, 12],
    item: ["VPN"],
    titles: [
      "{item} {fault}",
      "{item} {fault} [from home|since the update|again|]",
      "Cannot reach {app} over {item}",
    ],
    problems: [
      "The {item} {fault_text} [when working from home|since the client update|from the hotel|today].",
      "[Over|On] the {item} I can [reach mail but not {app}|ping the gateway but nothing loads|connect but every share times out], and {fault_text}.",
    ],
    pairs: {
      fault: [
        ["keeps disconnecting", "drops every few minutes"],
        ["won't connect", "will not connect at all"],
        ["very slow", "is extremely slow, pages take a minute"],
        ["client update failed", "client update failed halfway and now it will not start"],
        ["certificate error", "complains about the gateway certificate"],
      ],
    },
    details: [
      "[My home broadband|The fibre line at home] [is fine for everything else|tests at 200 Mbps].",
      "[It started|The problem began] after the [router replacement|client update|password change].",
    ],
    tried: [
      "restarted the router",
      "reinstalled the {item} client",
      "switched to the phone hotspot",
      "picked another gateway",
    ],
    errors: [
      "The VPN connection was terminated: authentication timed out (error 809)",
      "Secure connection failed. Gateway vpn.example.com: TLS handshake timeout after 30 s",
    ],
    oneLiners: ["{item} {fault}", "{item} {fault}, working from home", "{item}: {fault} since this morning"],
  },
  {
    category: "Network",
    subcategory: "Wi-Fi",
    service: "network",
    group: "Network Operations",
    weight: 1.2,
    urgency: [0.05, 0.45, 0.5],
    hours: [1, 48],
    item: ["Wi-Fi", "wireless network"],
    titles: ["{item} {fault} on floor {floor}", "Floor {floor}: {item} {fault}"],
    problems: ["The {item} on floor {floor} {fault_text}."],
    pairs: {
      fault: [
        ["weak", "is very weak near the windows"],
        ["dropping", "drops every few minutes"],
        ["no internet", "connects but has no internet"],
        ["guest code for a visitor", "needs a guest code: a visitor comes on {day} for the week"],
      ],
    },
    details: ["[The wired desks work|Phones have the same issue|It is worse in the afternoon]."],
    tried: ["forgot the network and rejoined", "moved closer to the access point"],
    errors: ["Connected, no internet. DNS probe finished NXDOMAIN."],
    oneLiners: ["{item} {fault} floor {floor}"],
  },
  {
    category: "Email",
    subcategory: "Phishing report",
    service: "email",
    group: "Security Operations",
    weight: 1.5,
    urgency: [0.2, 0.5, 0.3],
    hours: [0.3, 8],
    item: ["phishing e-mail", "suspicious e-mail"],
    titles: [
      "[Possible|Reported|Likely] {item} {lure}",
      "{item} {lure} - [clicked the link by mistake|did not click]",
    ],
    problems: [
      "I received [a|what looks like a] {item} {lure_text}.",
      "[I clicked|A colleague clicked] the link in a {item} {lure_text} [before noticing the sender|on the phone] and [entered nothing|typed something into the page].",
    ],
    pairs: {
      lure: [
        ["about an invoice", "about an unpaid invoice"],
        ["asking for my password", "asking me to confirm my password"],
        ["with a strange attachment", "with a zip attachment"],
        ["from a fake courier", "pretending to be our courier"],
        ["from a fake supplier", "from a supplier address that is one letter off"],
      ],
    },
    details: [
      "The sender [spoofs|imitates] [our finance director|a supplier we use|the parcel company] and [the reply-to is a free mail address|the link points to a look-alike domain].",
      "[Several people in {team}|Half the team] got the same one.",
    ],
    tried: ["reported it with the button", "did not open the attachment", "changed my password just in case"],
    errors: [
      "From: Accounts Payable <billing@invoices.example.net>\nSubject: Overdue invoice INV-2291 - final notice\nPlease confirm your credentials to release the payment.",
    ],
    oneLiners: ["{item} {lure} received, forwarded to security", "another {item} {lure}"],
  },
  {
    category: "Email",
    subcategory: "Mailbox",
    service: "email",
    group: "Service Desk",
    weight: 1.5,
    urgency: [0.02, 0.3, 0.68],
    hours: [1, 48],
    item: ["mailbox", "inbox"],
    titles: ["{item} {fault}", "{item}: {fault}[ since the archive move| this week|]", "{team} shared {item}: {fault}"],
    problems: [
      "My {item} {fault_text} [since the archive move|this week|after my transfer].",
      "[Since Monday|Since the migration] the {team} shared {item} {fault_text}.",
    ],
    pairs: {
      fault: [
        ["almost full", "is almost full and warns on every send"],
        [
          "full, cannot send",
          "is full and my mail bounces",
          "550 5.2.2 The recipient's mailbox is full and can't accept messages now.",
        ],
        ["missing in Outlook", "disappeared from Outlook"],
        ["no external mail", "stopped receiving mail from outside"],
        ["rule forwarding everything", "has a rule that forwards everything to an old address"],
      ],
    },
    details: ["[The quota warning|The bounce] says the limit is [50 GB|reached]."],
    tried: ["emptied deleted items", "archived last year's mail", "re-added the shared {item}"],
    errors: [],
    oneLiners: ["{item} {fault}", "shared {item} {fault}"],
  },
  {
    category: "Email",
    subcategory: "Calendar",
    service: "email",
    group: "Service Desk",
    weight: 1,
    urgency: [0.02, 0.3, 0.68],
    hours: [1, 48],
    item: ["calendar", "Outlook calendar"],
    titles: ["{item} {fault}", "{item}: {fault}[ since the migration|]"],
    problems: ["My {item} {fault_text} [any more|since the migration|this week]."],
    pairs: {
      fault: [
        ["not arriving from clients", "gets no invitations from clients"],
        ["wrong time zone", "shows every meeting an hour off"],
        ["delegate cannot edit", "cannot be edited by my assistant"],
        ["duplicates", "duplicates recurring meetings"],
      ],
    },
    details: ["[It is the board's calendar|I manage three executives' diaries|We book interviews through it]."],
    tried: ["checked the junk folder", "removed and re-added delegate rights"],
    errors: [],
    oneLiners: ["{item} {fault}", "{item} {fault} again"],
  },
  {
    category: "Application",
    subcategory: "Minor issue",
    service: "",
    group: "",
    weight: 2,
    urgency: [0.02, 0.3, 0.68],
    hours: [4, 120],
    item: ["report", "export"],
    titles: [
      "{app}: {item} {fault}",
      "{app} {item} - {fault}",
      "[Minor:|Small issue:|] {fault} in {app} {item}",
    ],
    problems: [
      "[Not urgent:|Low priority:|FYI:] in {app} the {item} {fault_text}.",
      "The {app} {item} {fault_text} [for last month|since Tuesday|on some days].",
    ],
    pairs: {
      fault: [
        ["wrong totals", "shows totals that do not match the ledger"],
        ["missing column", "misses the region column"],
        ["times out", "times out after two minutes"],
        ["label cut off", "has a label cut off on the summary page"],
        ["typo on button", 'has an export button that says "Exprot"'],
        ["date format wrong", "shows dates month first"],
        ["slow once", "took a long while once this morning"],
      ],
    },
    details: [
      "[No impact on work.|Just reporting it.|Can be fixed whenever.]",
      "The [screenshot|file] is attached [with the filters I used|for reference].",
    ],
    tried: ["refreshed the page", "ran the {item} for a shorter period"],
    errors: ["Request failed with status code 504 (GET /api/v1/reports/export)"],
    oneLiners: ["{app} {item} {fault}", "{fault} in {app} {item}"],
  },
  {
    category: "Application",
    subcategory: "Database client",
    service: "",
    group: "",
    weight: 0.8,
    urgency: [0.02, 0.4, 0.58],
    hours: [2, 72],
    item: ["database client", "SQL client"],
    titles: ["{item} cannot connect to {app} [reporting replica|read replica]", "{item} [driver|certificate] error"],
    problems: [
      "My {item} [cannot connect|times out|rejects the certificate] when I open the {app} [reporting replica|read replica] [since the password rotation|today].",
    ],
    details: ["[I only need read access|The query is for the monthly board pack]."],
    tried: ["updated the driver", "checked the connection string with a colleague"],
    errors: [
      'FATAL:  no pg_hba.conf entry for host "192.0.2.55", user "report_ro", database "analytics", SSL off',
      "SSL error: certificate verify failed (self-signed certificate in certificate chain)",
    ],
    oneLiners: ["{item} can't connect to {app}"],
  },
  {
    category: "Access",
    subcategory: "New starter",
    service: "identity",
    group: "Identity",
    weight: 1.5,
    urgency: [0.05, 0.45, 0.5],
    hours: [4, 72],
    item: ["user account", "network account"],
    titles: [
      "New starter: {role} in {team} from {day}",
      "{item} for new {role} ({team})",
      "Onboarding - {role}, {team}[ - laptop and {item}|]",
    ],
    problems: [
      "A new {role} joins {team} on {day} and needs a {item}, a laptop and [the usual team groups|access to the {team} shared drive|a licence for the office suite].",
      "Please set up a {item} and a laptop for our new {role}, starting {day}; [the contract is signed|HR has the paperwork|the line manager is me].",
    ],
    details: [
      "[Same rights as the other {role}s in the team.|Copy the access of the previous {role}.|They will also need VPN from week two.]",
      "[Start time is nine, reception knows.|They work hybrid, three days in the office.|Fixed-term contract, six months.]",
    ],
    tried: ["filled in the onboarding form", "asked HR for the employee number"],
    errors: [],
    oneLiners: ["new {role} {team} {day}, {item} please", "{item} + laptop for new {role}"],
    vars: { role: ["analyst", "buyer", "accountant", "warehouse supervisor", "developer", "paralegal", "recruiter"] },
  },
  {
    category: "Access",
    subcategory: "Leaver",
    service: "identity",
    group: "Identity",
    weight: 0.8,
    urgency: [0.05, 0.35, 0.6],
    hours: [2, 48],
    item: ["user account", "network account"],
    titles: ["Leaver: disable {item} of a {role} in {team} on {day}", "{item} removal - {role} leaving {team}"],
    problems: [
      "A {role} in {team} leaves on {day}; please disable the {item} [at close of business|at 17:00|first thing the next morning].",
    ],
    details: [
      "[Forward their mail to me for a month.|Keep the mailbox for legal hold.|Their laptop goes back to the IT cupboard.]",
      "[They own two shared folders that need a new owner.|Transfer their files to the team drive.]",
    ],
    tried: [],
    errors: [],
    oneLiners: ["leaver {team} {day}, disable {item}"],
    vars: { role: ["analyst", "buyer", "accountant", "contractor", "developer", "intern"] },
  },
  {
    category: "Hardware",
    subcategory: "Desktop",
    service: "workplace",
    group: "Desktop Support",
    weight: 0.8,
    urgency: [0.05, 0.35, 0.6],
    hours: [4, 96],
    item: ["workstation", "desktop PC"],
    titles: ["{item} {fault}", "{item} at desk {floor}.{room}: {fault}", "{item} {fault} - asset EX-{n}"],
    problems: ["The {item} [at my desk|in the dispatch office|on the reception desk] {fault_text}."],
    pairs: {
      fault: [
        ["won't power on", "does not power on; the button light blinks orange"],
        ["beeping at boot", "beeps three times at boot and stops"],
        ["very slow", "needs ten minutes to start and the disk light never goes off"],
        ["no network", "shows no network although the cable is plugged in"],
        ["too old for CAD", "is too old for the new CAD version and freezes on big drawings"],
      ],
    },
    details: [
      "[It is shared by the whole shift.|It runs the label printer for dispatch.|Asset tag EX-{n}.]",
      "[The UPS under the desk clicks now and then.|It was moved during the office refurbishment.]",
    ],
    tried: ["held the power button for thirty seconds", "swapped the network cable", "checked the power strip"],
    errors: ["CMOS checksum error - Defaults loaded\nPress F1 to continue, DEL to enter SETUP"],
    oneLiners: ["{item} {fault}", "{item} desk {floor}.{room} {fault}"],
  },
  {
    category: "Application",
    subcategory: "Expenses",
    service: "",
    group: "Service Desk",
    weight: 0.8,
    urgency: [0.02, 0.3, 0.68],
    hours: [4, 96],
    item: ["expense claim", "expense report"],
    titles: ["{item} {fault}", "Cannot submit {item}: {fault}"],
    problems: ["My {item} for [the client visit|the conference|last month's travel] {fault_text}."],
    pairs: {
      fault: [
        ["stuck in approval", "has been stuck in approval for three weeks"],
        ["receipt upload fails", "will not take the receipt photos; the upload spins forever"],
        ["wrong cost centre", "was booked to the wrong cost centre and I cannot change it"],
        ["mileage rate wrong", "uses last year's mileage rate"],
      ],
    },
    details: [
      "[The amount is small but it is my own money.|Finance closes the month on {day}.|My approver is on leave until next week.]",
    ],
    tried: ["resubmitted it", "tried the mobile app instead"],
    errors: ["Upload failed: file type image/heic is not supported"],
    oneLiners: ["{item} {fault}"],
  },
];

/** How the work is hurt: a paragraph some tickets carry. */
export const IMPACT = [
  "This [blocks|is holding up] [the month-end close|payroll for {team}|invoicing for our largest client|the supplier payment run] and [the deadline is {day}|finance needs it by tomorrow].",
  "[Three people|Our whole team|The night shift] [cannot work|are waiting on this] [and we have customers on hold|so orders are piling up|while the auditors are on site].",
  "[Not urgent,|No rush,|Low impact:] [I can work around it for now|I'm using a colleague's machine meanwhile|it only bothers me].",
  "We [present to the board|have a client workshop|go live with a partner] on {day} and [need this working before|cannot reschedule].",
  "Every hour this is down costs the [warehouse|contact centre|sales desk] [dozens of orders|real money|overtime].",
  "[Please treat as priority:|Escalating:] [regulatory reporting|the tax filing|the insurance renewal] [depends on it|is due this week].",
];

/** Openers of a ticket body (or none). */
export const OPENERS = ["Hi,", "Hello,", "Hi team,", "Hello IT,", "Good morning,", "Dear service desk,", "Hey,"];

/** Closings of a ticket body (or none). */
export const CLOSINGS = [
  "Thanks",
  "Thank you",
  "Cheers",
  "Kind regards",
  "Many thanks in advance",
  "Thanks for your help",
  "Best",
];

/** What someone writes above a forwarded message. */
export const FORWARD_NOTES = [
  "[Forwarding|Passing on] [this from|a mail from] {other}[, see below|, she asked me to log it|, can someone pick it up]. [Same problem here.|I have it too.|]",
  "[Raising on behalf of|Logging this for] {other}, who [is on the road|has no laptop access right now|asked me to]. Details below.",
  "[See the thread below|Thread below]. [We have been going back and forth on this|Nobody on our side can fix it], [please help|can IT have a look].",
];

/** Days named in tickets. */
export const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

/** Teams named in tickets. */
export const TEAMS = [
  "finance",
  "marketing",
  "logistics",
  "HR",
  "procurement",
  "legal",
  "sales",
  "customer service",
  "payroll",
  "treasury",
];
