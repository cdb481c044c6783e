import { daysFromCivil, parseDateString } from '../../src/table/read-dates.js';
console.log(daysFromCivil(1998, 7, 1), parseDateString('1998-07-01'), parseDateString('2011-10-06 16:20:00'));
