// The app's own MongoDB user: readWrite on its database and nothing else (least privilege).
// The mongo image runs this once, when its data volume is first created, as the root user of
// MONGO_INITDB_ROOT_*; docker-compose.yml mounts it into /docker-entrypoint-initdb.d/ with the
// secret `mongo_app_password` that `make secrets` wrote beside the app's URI. On a volume made
// before it existed, create the user by hand (docs/deploying.md).
const fs = require("fs");

const database = process.env.APP_DATABASE;
const password = fs.readFileSync("/run/secrets/mongo_app_password", "utf8").trim();
if (!database || !password) {
  throw new Error("APP_DATABASE and the mongo_app_password secret are both needed");
}
db.getSiblingDB(database).createUser({
  user: "app",
  pwd: password,
  roles: [{ role: "readWrite", db: database }],
});
print(`created the user app with readWrite on ${database}`);
