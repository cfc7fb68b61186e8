/**
 * Word lists of the person-name detector: a lexicon of common given names (English-speaking, European, Latin
 * American, South and East Asian, African and Arabic names, the commonest spellings), given names that are also
 * ordinary words (found only with context), capitalised words that are not surnames, and the fictional names
 * the generators use.
 * @module
 */

const words = (s: string): string[] => s.trim().split(/\s+/);

/** Common given names: a capitalised word after one of these is a surname candidate. */
export const GIVEN_NAMES: ReadonlySet<string> = new Set(words(`
  James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Donald
  Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas
  Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Patrick Jack Dennis Jerry Tyler
  Aaron Jose Adam Nathan Henry Zachary Douglas Peter Kyle Noah Ethan Jeremy Walter Christian Keith Roger Terry Austin
  Sean Gerald Carl Harold Dylan Arthur Lawrence Jordan Jesse Bryan Billy Bruce Gabriel Joe Logan Alan Juan Albert
  Willie Elijah Wayne Randy Vincent Mason Roy Ralph Bobby Russell Bradley Philip Eugene Louis Harry Oliver Oscar
  Leo Liam Lucas Luke Isaac Owen Caleb Hunter Connor Evan Ian Adrian Colin Graham Neil Simon Martin Stuart Hugh
  Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Sandra Margaret Ashley
  Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Dorothy Rebecca Sharon Laura Cynthia Amy
  Kathleen Angela Shirley Brenda Emma Anna Pamela Nicole Samantha Katherine Christine Helen Debra Rachel Carolyn
  Janet Maria Catherine Heather Diane Olivia Julie Joyce Victoria Ruth Virginia Lauren Kelly Christina Joan Evelyn
  Judith Andrea Hannah Megan Cheryl Jacqueline Martha Madison Teresa Gloria Sara Janice Ann Kathryn Abigail Sophia
  Frances Jean Alice Judy Isabella Julia Beverly Denise Marilyn Amber Danielle Brittany Diana Natalie Charlotte
  Marie Kayla Alexis Lori Jane Claire Chloe Ella Ava Mia Zoe Lucy Sophie Eleanor Ellie Fiona Kate Jenny Nina Tina
  Paula Wendy Yvonne Zara Alex Sam Taylor Casey Riley Jamie Avery Quinn Morgan Cameron Robin Leslie Dana Jordan
  Hans Klaus Jürgen Stefan Wolfgang Uwe Dieter Matthias Andreas Thorsten Katrin Sabine Ursula Petra Monika Anke
  Pierre Jean Jacques Michel Philippe Alain Nicolas François Julien Mathieu Camille Sophie Isabelle Nathalie
  Sylvie Céline Amélie Giulia Francesca Chiara Alessandro Giuseppe Giovanni Marco Luca Matteo Lorenzo Paolo
  Antonio Carlos Miguel Luis Javier Alejandro Diego Pablo Sergio Jorge Fernando Ricardo Eduardo Mateo Santiago
  Sofia Lucia Valentina Camila Isabel Carmen Rosa Elena Gabriela Mariana Fernanda Ana Beatriz Joana João Pedro
  Tiago Rafael Bruno Lars Anders Erik Nils Sven Ingrid Astrid Freya Sigrid Annika Johan Henrik Mikael Pekka
  Jan Piotr Tomasz Krzysztof Marek Katarzyna Agnieszka Magdalena Ivan Dmitri Sergei Olga Tatiana Natalia Irina
  Svetlana Ekaterina Anastasia Yuri Igor Oleksandr Andriy Olena Mehmet Ahmet Mustafa Ayşe Fatma Emre Zeynep
  Mohammed Muhammad Ahmed Ali Omar Hassan Hussein Ibrahim Yusuf Khalid Tariq Fatima Aisha Layla Leila Noor
  Mariam Yasmin Amira Priya Rahul Amit Anil Sunil Vijay Rajesh Ravi Sanjay Arjun Vikram Deepak Anjali Pooja
  Neha Sneha Kavita Sunita Lakshmi Divya Aditi Wei Li Ming Jun Hui Yan Xin Hao Lei Jing Mei Ling Hiroshi Takashi
  Kenji Yuki Haruto Sakura Yuto Minjun Jiwoo Seojun Jisoo Hyun Nguyen Minh Thanh Linh Kwame Kofi Ama Chinedu
  Ngozi Oluwaseun Adebayo Chiamaka Thabo Sipho Lerato Amara Zanele Wanjiru Otieno Abebe Tendai
`));

/** Given names that are also everyday words, places or software: a name only with context (`Dear`, `Name:`). */
export const AMBIGUOUS_GIVEN: ReadonlySet<string> = new Set(words(`
  Will May June April August Mark Bill Max Pat Rich Chase Grace Hope Joy Faith Art Ray Rob Sky Summer Autumn Dawn
  Eve Iris Jack Frank Drew Guy Rose Lily Ruby Jade Amber Crystal Hunter Mason Carter Parker Jordan Georgia Virginia
  Austin Dallas Paris Sydney Chelsea Victoria Florence Charlotte Madison Lincoln Kent Devon Christian Roger Jean
  Joe Harry Oliver Oscar Leo Luke Ian Sage Casey Taylor Quinn Morgan Cameron Robin Dana Li Wei Jun Ming Hui Yan
  Xin Hao Lei Jing Mei Ling Ana Ali Nina Adrian Alexander Logan Owen Martin Simon Graham Stuart Neil Lucas Noah
`));

/**
 * Capitalised words that follow a given name without being a surname (products, places, roles, days, months,
 * log vocabulary): `Grace Period`, `Logan Airport`, `Victoria Station`.
 */
export const NOT_SURNAMES: ReadonlySet<string> = new Set(words(`
  Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
  September October November December Team Group Support Service Services Desk Ops Operations Admin Administrator
  Server Servers Database Cluster Node Host Api Gateway Proxy Cache Queue Worker Job Batch Backup Restore Deploy
  Release Version Build Update Upgrade Patch Error Warning Info Debug Notice Critical Fatal Alert Incident Ticket
  Report Reports Dashboard Manager Management Engineering Security Network Storage Cloud Platform Center Centre
  Street Road Avenue Lane Airport Station Park Square Hall House Hotel University College School Hospital Bank
  Inc Ltd Llc Corp Company Co Group Holdings Airlines Airways Motors Systems Labs Studio Studios Media Press
  Period Mode Level Status State City County Valley River Lake Bay Beach Hill Hills Mountain Island Islands
  North South East West Central Customer Customers Client Clients User Users Account Accounts Owner Contact
  Mac Windows Linux Android Chrome Safari Firefox Edge Opera Mozilla Gecko Intel Apple Google Microsoft Amazon
  The And Or Of In On At To For From By With Not No Yes All Any New Old Hello Hi Dear Thanks Regards Best Kind
  Sir Madam Colleagues Everyone Primary Replica Master Slave Leader Follower Read Write Connection Session Query
`));

/** The titles that make the next capitalised word a surname on their own (`Dr. Okafor`). */
export const TITLES = ["Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Herr", "Frau", "Mme", "Mlle", "Sr", "Sra"];

/**
 * The fictional people of the generators (`lib/generate/incidents/catalog.ts`): given names drawn with these
 * invented surnames are no one's. A test checks the lists still match the generator's.
 */
export const FICTIONAL_SURNAMES: ReadonlySet<string> = new Set(words(`
  Ashdown Brightwater Calloway Dunmore Elderberry Fairweather Glenholm Hartwell Ivesdale Juniper Kestrel Larkspur
  Merriweather Northcott Oakhurst Pemberton Quillfeather Rosewood Stonebridge Thistlewood Underhill Valebrook
  Westbrook Yarrowby Zephyrine Ambervale Bramblecote Coldwater Driftwood Emberly Foxglove Greywell Hollowmere
  Ironwood Kingsmere Lindenfield Moorcroft Netherby Orchardson Pinecrest
`));
