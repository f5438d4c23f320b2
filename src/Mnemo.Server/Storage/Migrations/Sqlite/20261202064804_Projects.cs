using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mnemo.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Projects : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_environments_AccountId_Name",
                table: "environments");

            migrationBuilder.AddColumn<Guid>(
                name: "ProjectId",
                table: "environments",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.CreateTable(
                name: "projects",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_projects", x => x.Id);
                    table.ForeignKey(
                        name: "FK_projects_accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Existing data moves into each account's project "default", whose id is the account's own.
            migrationBuilder.Sql(
                """
                INSERT INTO projects ("Id", "AccountId", "Name", "IsActive", "CreatedAt", "UpdatedAt")
                SELECT "Id", "Id", 'default', 1, "CreatedAt", "CreatedAt" FROM accounts;
                UPDATE environments SET "ProjectId" = "AccountId";
                """);

            migrationBuilder.CreateIndex(
                name: "IX_environments_AccountId",
                table: "environments",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_environments_ProjectId_Name",
                table: "environments",
                columns: new[] { "ProjectId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_projects_AccountId_Name",
                table: "projects",
                columns: new[] { "AccountId", "Name" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_environments_projects_ProjectId",
                table: "environments",
                column: "ProjectId",
                principalTable: "projects",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_environments_projects_ProjectId",
                table: "environments");

            migrationBuilder.DropTable(
                name: "projects");

            migrationBuilder.DropIndex(
                name: "IX_environments_AccountId",
                table: "environments");

            migrationBuilder.DropIndex(
                name: "IX_environments_ProjectId_Name",
                table: "environments");

            migrationBuilder.DropColumn(
                name: "ProjectId",
                table: "environments");

            migrationBuilder.CreateIndex(
                name: "IX_environments_AccountId_Name",
                table: "environments",
                columns: new[] { "AccountId", "Name" },
                unique: true);
        }
    }
}
