// SCF runtime ids (what CreateFunction's Runtime and PublishLayerVersion's CompatibleRuntimes take),
// with the canonical spellings users type. Source: the Runtime parameter of CreateFunction in the
// API 2018-04-16 reference, plus Java11 from the SCF Java guide. SCF has no Node.js 20, Python
// 3.11/3.12 or Java 17 in that list, so those spellings are rejected with this list as the hint.
import type { RuntimeEntry } from "../types.js";

export const tencentRuntimes: readonly RuntimeEntry[] = [
  { native: "Python3.10", aliases: ["python3.10"] },
  { native: "Python3.9", aliases: ["python3.9"] },
  { native: "Python3.7", aliases: ["python3.7"] },
  { native: "Python3.6", aliases: ["python3.6"] },
  { native: "Python2.7", aliases: ["python2.7"] },
  { native: "Nodejs18.15", aliases: ["nodejs18", "nodejs18.x", "nodejs18.15"] },
  { native: "Nodejs16.13", aliases: ["nodejs16", "nodejs16.x", "nodejs16.13"] },
  { native: "Nodejs14.18", aliases: ["nodejs14", "nodejs14.x", "nodejs14.18"] },
  { native: "Nodejs12.16", aliases: ["nodejs12", "nodejs12.x", "nodejs12.16"] },
  { native: "Nodejs10.15", aliases: ["nodejs10", "nodejs10.x", "nodejs10.15"] },
  { native: "Nodejs8.9", aliases: ["nodejs8", "nodejs8.x", "nodejs8.9"] },
  { native: "Nodejs6.10", aliases: ["nodejs6", "nodejs6.x", "nodejs6.10"] },
  { native: "Java11", aliases: ["java11"] },
  { native: "Java8", aliases: ["java8"] },
  { native: "Go1", aliases: ["go1", "go1.x"] },
  { native: "Php8.0", aliases: ["php8.0", "php8"] },
  { native: "Php7.4", aliases: ["php7.4"] },
  // The API spells PHP 7.2 as "Php7".
  { native: "Php7", aliases: ["php7.2", "php7"] },
  { native: "Php5.6", aliases: ["php5.6", "php5"] },
  { native: "CustomRuntime", aliases: ["custom", "provided"] },
];
