# The server image: candlebox.jar with lib/ and jvmci/ beside it (workers start from the same folder).
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:25-jre
WORKDIR /app
COPY --from=build /src/server/target/candlebox.jar /app/candlebox.jar
COPY --from=build /src/server/target/lib /app/lib
COPY --from=build /src/server/target/jvmci /app/jvmci
ENV PORT=8000 CANDLEBOX_DATA_DIR=/data
VOLUME /data
EXPOSE 8000
ENTRYPOINT ["java", "-jar", "/app/candlebox.jar"]
CMD ["serve"]
